import { batchPreview, type FrameBatch, frameEventFromBatch } from "../protocol/frame-batch.ts";
import type { FrameEvent, HttpEvent } from "../protocol/inspector-events.ts";
import { ChangeNotifier, type LogCounts, type LogSource, type Schedule } from "./log-source.ts";

/** Frames (and section rows) one card's frame log keeps: at least the SPEC's 100,000. */
export const FRAME_LOG_CAPACITY = 110_000;
/** Rows per chunk of JSON-delivered rows. */
const ROWS_PER_CHUNK = 256;

/** The start of one connection attempt: every attempt is its own section of the log. */
export interface AttemptRow {
  kind: "attempt";
  attempt: number;
  at: number;
  url: string;
  /** Frames of this attempt received so far. */
  frames: number;
  /** HTTP exchanges (Engine.IO long-polling requests) of this attempt so far, when any. */
  exchanges?: number;
  /** Why this attempt has no frames, once known (e.g. the server answered HTTP 400). */
  noFrames?: string;
}

/** Frames the server announced this page will never receive (it fell behind). */
export interface GapRow {
  kind: "gap";
  attempt: number;
  at: number;
  frames: number;
  kept: number;
}

/** Something about the log itself, e.g. the inspector stopped: later frames will not show. */
export interface NoticeRow {
  kind: "notice";
  attempt: number;
  at: number;
  text: string;
}

export interface FrameRow {
  kind: "frame";
  attempt: number;
  event: FrameEvent;
  /** The decoded preview's bytes, when the frame came in a binary batch. */
  previewBytes?: Uint8Array;
}

/**
 * Half of an HTTP exchange on the tapped connection (an Engine.IO long-polling request or its
 * response): not a frame, and not counted as one.
 */
export interface HttpRow {
  kind: "http";
  attempt: number;
  event: HttpEvent;
}

export type FrameLogRow = FrameRow | AttemptRow | GapRow | NoticeRow | HttpRow;

/** A run of consecutive rows: a binary batch as received, or rows that came one by one. */
type Chunk =
  | { start: number; count: number; attempt: number; tap: string; batch: FrameBatch }
  | { start: number; count: number; rows: FrameLogRow[]; frames: number };

/**
 * One card's frame log. Binary batches from the inspector are kept as they arrived, and a row
 * object is built only when something reads that row (the rows on screen, a filter, an
 * export): 100,000 frames cost their bytes, not 100,000 objects. Appends are O(1); the
 * oldest chunks go when the log is full, and the counts say how many frames went, and how
 * many never came (gaps announced by the server).
 */
export class FrameStore implements LogSource<FrameLogRow> {
  readonly capacity: number;
  readonly #notifier: ChangeNotifier;
  #chunks: Chunk[] = [];
  /** Index in #chunks of the oldest chunk still held (evicted ones are dropped lazily). */
  #head = 0;
  #first = 0;
  #end = 0;
  #generation = 0;
  #arrived = 0;
  #evicted = 0;
  #lost = 0;
  #serverKept = 0;
  #exchanges = 0;
  /** The chunk the last lookup found: rows are mostly read in order. */
  #lastChunk = 0;
  #currentAttempt: AttemptRow | undefined;

  constructor(options: { capacity?: number; schedule?: Schedule } = {}) {
    this.capacity = options.capacity ?? FRAME_LOG_CAPACITY;
    this.#notifier = new ChangeNotifier(options.schedule);
  }

  get first(): number {
    return this.#first;
  }

  get end(): number {
    return this.#end;
  }

  get generation(): number {
    return this.#generation;
  }

  /** The newest attempt's section row (its `frames` count grows as frames arrive). */
  get currentAttempt(): AttemptRow | undefined {
    return this.#currentAttempt;
  }

  /** HTTP exchanges (requests) received since the last clear: not frames, counted apart. */
  get httpExchanges(): number {
    return this.#exchanges;
  }

  counts(): LogCounts {
    return {
      arrived: this.#arrived + this.#lost,
      evicted: this.#evicted,
      capacity: this.capacity,
      lost: this.#lost,
      serverKept: this.#serverKept,
    };
  }

  /** Appends a decoded binary batch of frames of `attempt`. */
  pushBatch(batch: FrameBatch, attempt: number, tap: string): void {
    if (batch.count === 0) return;
    this.#chunks.push({ start: this.#end, count: batch.count, attempt, tap, batch });
    this.#end += batch.count;
    this.#arrived += batch.count;
    this.#countFrames(attempt, batch.count);
    this.#added();
  }

  /** Appends one row (a frame that came as JSON, an attempt's start, a gap). */
  pushRow(row: FrameLogRow): void {
    if (row.kind === "attempt") this.#currentAttempt = row;
    if (row.kind === "frame") {
      this.#arrived += 1;
      this.#countFrames(row.attempt, 1);
    }
    if (row.kind === "http" && row.event.dir === "in") {
      this.#exchanges += 1;
      const current = this.#currentAttempt;
      if (current?.attempt === row.attempt) current.exchanges = (current.exchanges ?? 0) + 1;
    }
    if (row.kind === "gap") {
      this.#lost += row.frames;
      this.#serverKept = row.kept;
    }
    const last = this.#chunks[this.#chunks.length - 1];
    if (last && "rows" in last && last.count < ROWS_PER_CHUNK && this.#chunks.length > this.#head) {
      last.rows.push(row);
      last.count += 1;
      if (row.kind === "frame") last.frames += 1;
    } else {
      this.#chunks.push({
        start: this.#end,
        count: 1,
        rows: [row],
        frames: row.kind === "frame" ? 1 : 0,
      });
    }
    this.#end += 1;
    this.#added();
  }

  isCounted(row: FrameLogRow): boolean {
    return row.kind === "frame";
  }

  /** Tells views that a held row changed in place (an attempt row learnt its outcome). */
  touch(): void {
    this.#notifier.changed();
  }

  row(index: number): FrameLogRow | undefined {
    if (index < this.#first || index >= this.#end) return undefined;
    const chunk = this.#chunkOf(index);
    if (!chunk) return undefined;
    const offset = index - chunk.start;
    if ("rows" in chunk) return chunk.rows[offset];
    return {
      kind: "frame",
      attempt: chunk.attempt,
      event: frameEventFromBatch(chunk.batch, offset, chunk.tap),
      previewBytes: batchPreview(chunk.batch, offset),
    };
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#first = 0;
    this.#end = 0;
    this.#arrived = 0;
    this.#evicted = 0;
    this.#lost = 0;
    this.#exchanges = 0;
    this.#lastChunk = 0;
    this.#currentAttempt = undefined;
    this.#generation += 1;
    this.#notifier.changed();
  }

  readonly getVersion = (): number => this.#notifier.getVersion();
  readonly subscribe = (listener: () => void): (() => void) => this.#notifier.subscribe(listener);

  #countFrames(attempt: number, frames: number): void {
    if (this.#currentAttempt?.attempt === attempt) this.#currentAttempt.frames += frames;
  }

  #added(): void {
    // Whole chunks go, oldest first, so a lookup never meets a half-evicted chunk.
    while (this.#end - this.#first > this.capacity) {
      const oldest = this.#chunks[this.#head];
      if (!oldest) break;
      this.#evicted += "rows" in oldest ? oldest.frames : oldest.count;
      this.#first = oldest.start + oldest.count;
      this.#chunks[this.#head] = undefined as unknown as Chunk;
      this.#head += 1;
    }
    // Drop evicted slots now and then, not on every eviction.
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#lastChunk = Math.max(0, this.#lastChunk - this.#head);
      this.#head = 0;
    }
    this.#notifier.changed();
  }

  #chunkOf(index: number): Chunk | undefined {
    const chunks = this.#chunks;
    const guess = chunks[this.#lastChunk];
    if (guess && this.#lastChunk >= this.#head && index >= guess.start) {
      if (index < guess.start + guess.count) return guess;
      const next = chunks[this.#lastChunk + 1];
      if (next && index >= next.start && index < next.start + next.count) {
        this.#lastChunk += 1;
        return next;
      }
    }
    let low = this.#head;
    let high = chunks.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const chunk = chunks[middle] as Chunk;
      if (index < chunk.start) high = middle - 1;
      else if (index >= chunk.start + chunk.count) low = middle + 1;
      else {
        this.#lastChunk = middle;
        return chunk;
      }
    }
    return undefined;
  }
}
