/**
 * Running compression figures of one card, kept up to date from its frame log without ever
 * rescanning it: each frame row is read once, when it arrives, and folded into the totals.
 */
import type { Direction, FrameEvent } from "../../protocol/inspector-events.ts";
import type { FrameStore } from "../../stores/frame-store.ts";

/** Messages one chart line keeps: the newest. */
export const SERIES_LIMIT = 200;

export interface DirectionTotals {
  /** Data messages seen whole (their last frame carried `messageLength`). */
  messages: number;
  /** Of those, sent with RSV1 set (permessage-deflate compressed them). */
  compressed: number;
  /** Payload bytes on the wire of those messages, all their frames (headers not counted). */
  wireBytes: number;
  /** Their size after reassembly and inflation. */
  decodedBytes: number;
  /** The smallest message that went compressed, in decoded bytes. */
  smallestCompressed: number | undefined;
}

export interface MessagePoint {
  wire: number;
  decoded: number;
  compressed: boolean;
}

export interface CompressionSnapshot {
  in: DirectionTotals;
  out: DirectionTotals;
  /** Server→client messages, oldest first, at most SERIES_LIMIT. */
  outSeries: readonly MessagePoint[];
}

const emptyTotals = (): DirectionTotals => ({
  messages: 0,
  compressed: 0,
  wireBytes: 0,
  decodedBytes: 0,
  smallestCompressed: undefined,
});

/** Wire bytes over decoded bytes; undefined before any byte. */
export function ratioOf(totals: DirectionTotals): number | undefined {
  return totals.decodedBytes > 0 ? totals.wireBytes / totals.decodedBytes : undefined;
}

const isDataFrame = (opcode: number) => opcode === 0 || opcode === 1 || opcode === 2;

/** Folds frames into totals, one at a time, in arrival order. */
export class CompressionAccumulator {
  #in = emptyTotals();
  #out = emptyTotals();
  #series: MessagePoint[] = [];
  /** Wire bytes of the message under way in each direction (its earlier fragments). */
  #pending: Record<Direction, number> = { in: 0, out: 0 };
  #snapshot: CompressionSnapshot | undefined;

  add(
    frame: Pick<
      FrameEvent,
      "dir" | "opcode" | "payloadLength" | "messageLength" | "compressed" | "rsv1"
    >,
  ): void {
    if (!isDataFrame(frame.opcode)) return;
    this.#pending[frame.dir] += frame.payloadLength;
    if (frame.messageLength === undefined) return;
    const wire = this.#pending[frame.dir];
    this.#pending[frame.dir] = 0;
    const compressed = frame.compressed ?? frame.rsv1;
    const totals = frame.dir === "in" ? this.#in : this.#out;
    totals.messages += 1;
    totals.wireBytes += wire;
    totals.decodedBytes += frame.messageLength;
    if (compressed) {
      totals.compressed += 1;
      totals.smallestCompressed = Math.min(
        totals.smallestCompressed ?? Number.POSITIVE_INFINITY,
        frame.messageLength,
      );
    }
    if (frame.dir === "out") {
      this.#series.push({ wire, decoded: frame.messageLength, compressed });
      // Trim in steps, not per message, so a long stream costs O(1) per frame.
      if (this.#series.length > SERIES_LIMIT * 2) this.#series = this.#series.slice(-SERIES_LIMIT);
    }
    this.#snapshot = undefined;
  }

  /** The figures so far: the same object until something changes (fit for useSyncExternalStore). */
  snapshot(): CompressionSnapshot {
    this.#snapshot ??= {
      in: { ...this.#in },
      out: { ...this.#out },
      outSeries: this.#series.slice(-SERIES_LIMIT),
    };
    return this.#snapshot;
  }
}

/**
 * Keeps an accumulator in step with a card's frame store: on each of the store's (throttled)
 * change notices it reads only the rows appended since the last one. A cleared log starts the
 * totals over; rows evicted before they were read are skipped.
 */
export class CompressionTracker {
  readonly store: FrameStore;
  #accumulator = new CompressionAccumulator();
  #next = 0;
  #generation: number;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | undefined;

  constructor(store: FrameStore) {
    this.store = store;
    this.#generation = store.generation;
    this.#catchUp();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    this.#unsubscribe ??= this.store.subscribe(() => {
      if (this.#catchUp()) for (const notify of this.#listeners) notify();
    });
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  };

  readonly getSnapshot = (): CompressionSnapshot => {
    // A reader between notices (a new subscriber) sees the rows so far.
    this.#catchUp();
    return this.#accumulator.snapshot();
  };

  /** Reads the new rows; says whether the figures may have changed. */
  #catchUp(): boolean {
    const store = this.store;
    let changed = false;
    if (store.generation !== this.#generation) {
      this.#generation = store.generation;
      this.#accumulator = new CompressionAccumulator();
      this.#next = 0;
      changed = true;
    }
    const end = store.end;
    for (let index = Math.max(this.#next, store.first); index < end; index += 1) {
      const row = store.row(index);
      if (row?.kind === "frame") {
        this.#accumulator.add(row.event);
        changed = true;
      }
    }
    this.#next = end;
    return changed;
  }
}

const trackers = new Map<string, CompressionTracker>();

/** The tracker of a card's frame store (a new one if the card's store was replaced). */
export function compressionTrackerFor(cardId: string, store: FrameStore): CompressionTracker {
  let tracker = trackers.get(cardId);
  if (!tracker || tracker.store !== store) {
    tracker = new CompressionTracker(store);
    trackers.set(cardId, tracker);
  }
  return tracker;
}
