import { formatHex } from "../../src/protocol/binary-text.ts";
import {
  encodeFrameBatch,
  type FrameColumns,
  FrameFlag,
  LENGTH_ENCODINGS,
  type RowRun,
  trimPartialCharacter,
} from "../../src/protocol/frame-batch.ts";
import { formatMaskKey, opcodeName, type ParsedFrame } from "../../src/protocol/frame-parser.ts";
import {
  type Direction,
  type FrameEvent,
  type InspectorEvent,
  PREVIEW_BYTES,
} from "../../src/protocol/inspector-events.ts";

export { trimPartialCharacter };

const utf8 = new TextDecoder("utf-8");

const { Fin: FIN, Rsv1: RSV1, Rsv2: RSV2, Rsv3: RSV3, Masked: MASKED, Out: OUT } = FrameFlag;
const { Compressed: COMPRESSED, PreviewText: PREVIEW_TEXT } = FrameFlag;

/** Bytes one slot of the log costs: its columns and its preview slot. */
export const BYTES_PER_SLOT = 8 * 4 + 4 + 4 + 2 + 6 + PREVIEW_BYTES;

/**
 * Memory shared by every tap's log: a log grows only while the budget allows, and otherwise
 * wraps at the size it has (loss is then announced to inspectors as a gap, never silent).
 */
export interface TapMemoryBudget {
  /** Reserves `bytes`; false when they are not available, unless `force`d. */
  reserve(bytes: number, force?: boolean): boolean;
  release(bytes: number): void;
}

/**
 * A tap's events in a ring of fixed capacity, stored column by column in typed arrays, with
 * each frame's preview in a fixed 256-byte slot. Recording a frame allocates nothing that
 * outlives it, so a busy tapped connection adds no garbage-collector work for the frames it
 * keeps; the JSON an inspector reads is built only when it is read. Rare values (handshakes,
 * close reasons, errors) live in a side map.
 */
export class TapEventLog {
  readonly tap: string;
  /** Slots in the ring: as asked, or fewer when the memory budget ran out while it grew. */
  #capacity: number;
  readonly #budget: TapMemoryBudget | undefined;
  #total = 0;
  /** Frames ever appended: a frame's seq is its number among frames, from 1. */
  #frames = 0;
  #at = new Float64Array(0);
  #seq = new Float64Array(0);
  #flags = new Uint8Array(0);
  #opcode = new Uint8Array(0);
  #headerLength = new Uint8Array(0);
  #lengthEncoding = new Uint8Array(0);
  #payloadLength = new Float64Array(0);
  /** -1 when the frame does not end a data message. */
  #messageLength = new Float64Array(0);
  #maskKey = new Uint32Array(0);
  /** -1 when the frame carries no close code. */
  #closeCode = new Int32Array(0);
  #previewLength = new Uint16Array(0);
  #previewCut = new Uint8Array(0);
  #previews = new Uint8Array(0);
  /** Slots allocated so far: the columns grow fourfold at a time up to `capacity`. */
  #allocated = 0;
  /**
   * By slot: the whole event for non-frames, or a frame's close reason, error and
   * higher-layer label.
   */
  readonly #extras = new Map<number, Extras>();
  /**
   * What the extras hold, roughly (see `extrasBytes`): counted in the budget beside the columns,
   * since a long-polling exchange's headers and body, or a label on every frame, can outweigh
   * the slot they sit beside.
   */
  #extraBytes = 0;

  constructor(tap: string, capacity: number, budget?: TapMemoryBudget) {
    this.tap = tap;
    this.#capacity = capacity;
    this.#budget = budget;
    // The first slots are always granted: a tap must be able to record its handshake.
    const initial = Math.min(capacity, INITIAL_SLOTS);
    budget?.reserve(initial * BYTES_PER_SLOT, true);
    this.#resize(initial);
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Bytes this log holds: its columns, and what its extras hold. */
  get allocatedBytes(): number {
    return this.#allocated * BYTES_PER_SLOT + this.#extraBytes;
  }

  /** Gives the log's memory back to the budget; the log must not be used afterwards. */
  dispose(): void {
    this.#budget?.release(this.allocatedBytes);
    this.#extraBytes = 0;
    this.#allocated = 0;
  }

  /** When the newest event was appended, if any. */
  get lastAt(): number | undefined {
    if (this.#total === 0) return undefined;
    const event = this.#extras.get((this.#total - 1) % this.capacity)?.event;
    return event ? event.at : this.#at[(this.#total - 1) % this.capacity];
  }

  /** Events ever appended (frames and others); events are addressed by this 0-based index. */
  get total(): number {
    return this.#total;
  }

  /** The oldest event still held. */
  get oldest(): number {
    return Math.max(0, this.#total - this.capacity);
  }

  /** Appends a non-frame event (handshake, end, http) as it is. */
  appendEvent(event: InspectorEvent): number {
    const index = this.#claim();
    this.#setExtras(index % this.capacity, { event });
    return index;
  }

  /**
   * Appends a protocol error found in one direction, as a frame event of its own: it takes
   * the next frame seq, so seqs stay unique.
   */
  appendError(dir: Direction, error: string, at = Date.now()): number {
    this.#frames += 1;
    return this.appendEvent({
      type: "frame",
      tap: this.tap,
      seq: this.#frames,
      at,
      dir,
      fin: false,
      rsv1: false,
      rsv2: false,
      rsv3: false,
      opcode: -1,
      opname: "error",
      masked: false,
      headerLength: 0,
      payloadLength: 0,
      lengthEncoding: "7-bit",
      preview: "",
      previewEncoding: "text",
      error,
    });
  }

  /** Appends a frame's header facts; its preview and message facts are set afterwards. */
  appendFrame(dir: Direction, frame: ParsedFrame): number {
    const index = this.#claim();
    const slot = index % this.capacity;
    this.#at[slot] = Date.now();
    this.#frames += 1;
    this.#seq[slot] = this.#frames;
    this.#flags[slot] =
      (frame.fin ? FIN : 0) |
      (frame.rsv1 ? RSV1 : 0) |
      (frame.rsv2 ? RSV2 : 0) |
      (frame.rsv3 ? RSV3 : 0) |
      (frame.masked ? MASKED : 0) |
      (dir === "out" ? OUT : 0);
    this.#opcode[slot] = frame.opcode;
    this.#headerLength[slot] = frame.headerLength;
    this.#lengthEncoding[slot] =
      frame.lengthEncoding === "7-bit" ? 0 : frame.lengthEncoding === "16-bit" ? 1 : 2;
    this.#payloadLength[slot] = frame.payloadLength;
    this.#messageLength[slot] = -1;
    this.#maskKey[slot] = frame.maskKey ?? 0;
    this.#closeCode[slot] = frame.closeCode ?? -1;
    this.#previewLength[slot] = 0;
    this.#previewCut[slot] = 0;
    if (frame.closeReason !== undefined && frame.closeReason !== "") {
      this.#setExtras(slot, { closeReason: frame.closeReason });
    }
    return index;
  }

  /**
   * Copies the first PREVIEW_BYTES of `source` into the frame's slot, unmasking with
   * `maskKey` on the way when given (the source is then as it was on the wire).
   */
  setPreview(index: number, source: Uint8Array, asText: boolean, maskKey?: number): void {
    const slot = index % this.capacity;
    const length = Math.min(source.length, PREVIEW_BYTES);
    const base = slot * PREVIEW_BYTES;
    if (maskKey === undefined) {
      this.#previews.set(length === source.length ? source : source.subarray(0, length), base);
    } else {
      const previews = this.#previews;
      const k0 = maskKey >>> 24;
      const k1 = (maskKey >>> 16) & 0xff;
      const k2 = (maskKey >>> 8) & 0xff;
      const k3 = maskKey & 0xff;
      const whole = length & ~3;
      let offset = 0;
      for (; offset < whole; offset += 4) {
        previews[base + offset] = (source[offset] as number) ^ k0;
        previews[base + offset + 1] = (source[offset + 1] as number) ^ k1;
        previews[base + offset + 2] = (source[offset + 2] as number) ^ k2;
        previews[base + offset + 3] = (source[offset + 3] as number) ^ k3;
      }
      for (; offset < length; offset += 1) {
        const shift = 24 - 8 * (offset & 3);
        previews[base + offset] = (source[offset] as number) ^ ((maskKey >>> shift) & 0xff);
      }
    }
    this.#previewLength[slot] = length;
    this.#previewCut[slot] = source.length > PREVIEW_BYTES ? 1 : 0;
    if (asText) this.#flags[slot] = (this.#flags[slot] as number) | PREVIEW_TEXT;
    else this.#flags[slot] = (this.#flags[slot] as number) & ~PREVIEW_TEXT;
  }

  /** Marks a frame as the last of a data message of `messageLength` decoded bytes. */
  setMessage(index: number, messageLength: number, compressed: boolean): void {
    const slot = index % this.capacity;
    this.#messageLength[slot] = messageLength;
    if (compressed) this.#flags[slot] = (this.#flags[slot] as number) | COMPRESSED;
  }

  setError(index: number, error: string): void {
    const slot = index % this.capacity;
    this.#setExtras(slot, { ...this.#extras.get(slot), error });
  }

  /**
   * Gives the frame that ends a message the label its higher layer's decoder gave the whole
   * message (see labellers.ts). The frame is no longer plain: it travels as JSON.
   */
  setLabel(index: number, label: string, layer: string): void {
    const slot = index % this.capacity;
    this.#setExtras(slot, { ...this.#extras.get(slot), label, layer });
  }

  /** The decoded preview bytes of a held frame (for tests and tools). */
  previewBytes(index: number): Uint8Array {
    const slot = index % this.capacity;
    const base = slot * PREVIEW_BYTES;
    return this.#previews.slice(base, base + (this.#previewLength[slot] as number));
  }

  /**
   * Whether `index` is a frame with nothing beyond its columns (no close reason, no error, no
   * label): only such frames go into binary batches, every other event goes as JSON.
   */
  isPlainFrame(index: number): boolean {
    return this.#extras.size === 0 || !this.#extras.has(index % this.capacity);
  }

  /** Whether `index` is a frame event (plain or not). */
  isFrame(index: number): boolean {
    const extras = this.#extras.get(index % this.capacity);
    return extras?.event === undefined || extras.event.type === "frame";
  }

  /**
   * The frame seq of the first frame at or after `index` among held events, or the next seq
   * to be given when there is none: the frames before `index` number one less.
   */
  framesBefore(index: number): number {
    for (let at = Math.max(index, this.oldest); at < this.#total; at += 1) {
      const seq = this.#frameSeq(at);
      if (seq !== undefined) return seq - 1;
    }
    return this.#frames;
  }

  #frameSeq(index: number): number | undefined {
    const slot = index % this.capacity;
    const event = this.#extras.get(slot)?.event;
    if (event) return event.type === "frame" ? event.seq : undefined;
    return this.#seq[slot];
  }

  /**
   * The held plain frames `[start, end)` as one binary batch (see frame-batch.ts), copied
   * column by column from the ring. The caller makes sure every index is a plain frame.
   */
  encodeFrames(start: number, end: number): Uint8Array {
    const first = start % this.capacity;
    const last = first + (end - start);
    const runs: RowRun[] =
      last <= this.capacity
        ? [{ start: first, end: last }]
        : [
            { start: first, end: this.capacity },
            { start: 0, end: last - this.capacity },
          ];
    const columns: FrameColumns = {
      at: this.#at,
      payloadLength: this.#payloadLength,
      messageLength: this.#messageLength,
      seq: this.#seq,
      maskKey: this.#maskKey,
      closeCode: this.#closeCode,
      previewLength: this.#previewLength,
      flags: this.#flags,
      previewCut: this.#previewCut,
      opcode: this.#opcode,
      headerLength: this.#headerLength,
      lengthEncoding: this.#lengthEncoding,
    };
    return encodeFrameBatch(columns, runs, (slot) =>
      this.#previews.subarray(
        slot * PREVIEW_BYTES,
        slot * PREVIEW_BYTES + (this.#previewLength[slot] as number),
      ),
    );
  }

  /** The event at `index` as the inspector sends it, or undefined when no longer held. */
  toEvent(index: number): InspectorEvent | undefined {
    if (index < this.oldest || index >= this.#total) return undefined;
    const slot = index % this.capacity;
    const extras = this.#extras.get(slot);
    if (extras?.event) return extras.event;
    const flags = this.#flags[slot] as number;
    const opcode = this.#opcode[slot] as number;
    const preview = this.previewBytes(index);
    const asText = (flags & PREVIEW_TEXT) !== 0;
    const event: FrameEvent = {
      type: "frame",
      tap: this.tap,
      seq: this.#seq[slot] as number,
      at: this.#at[slot] as number,
      dir: flags & OUT ? "out" : "in",
      fin: (flags & FIN) !== 0,
      rsv1: (flags & RSV1) !== 0,
      rsv2: (flags & RSV2) !== 0,
      rsv3: (flags & RSV3) !== 0,
      opcode,
      opname: opcodeName(opcode),
      masked: (flags & MASKED) !== 0,
      headerLength: this.#headerLength[slot] as number,
      payloadLength: this.#payloadLength[slot] as number,
      lengthEncoding: LENGTH_ENCODINGS[this.#lengthEncoding[slot] as number] ?? "7-bit",
      preview: asText
        ? utf8.decode(trimPartialCharacter(preview, this.#previewCut[slot] === 1))
        : formatHex(preview),
      previewEncoding: asText ? "text" : "hex",
    };
    if (flags & MASKED) event.maskKey = formatMaskKey(this.#maskKey[slot] as number);
    const messageLength = this.#messageLength[slot] as number;
    if (messageLength >= 0) {
      event.messageLength = messageLength;
      event.compressed = (flags & COMPRESSED) !== 0;
    }
    const closeCode = this.#closeCode[slot] as number;
    if (closeCode >= 0) {
      event.closeCode = closeCode;
      event.closeReason = extras?.closeReason ?? "";
    }
    if (extras?.error !== undefined) event.error = extras.error;
    if (extras?.label !== undefined) {
      event.label = extras.label;
      if (extras.layer) event.layer = extras.layer;
    }
    return event;
  }

  /**
   * Gives every column `n` slots, keeping what they hold. Growth happens only before the
   * ring first wraps, while slot = index, so the existing slots keep their places.
   */
  #resize(n: number): void {
    this.#at = grown(this.#at, n);
    this.#seq = grown(this.#seq, n);
    this.#flags = grown(this.#flags, n);
    this.#opcode = grown(this.#opcode, n);
    this.#headerLength = grown(this.#headerLength, n);
    this.#lengthEncoding = grown(this.#lengthEncoding, n);
    this.#payloadLength = grown(this.#payloadLength, n);
    this.#messageLength = grown(this.#messageLength, n);
    this.#maskKey = grown(this.#maskKey, n);
    this.#closeCode = grown(this.#closeCode, n);
    this.#previewLength = grown(this.#previewLength, n);
    this.#previewCut = grown(this.#previewCut, n);
    this.#previews = grown(this.#previews, n * PREVIEW_BYTES);
    this.#allocated = n;
  }

  #claim(): number {
    const index = this.#total;
    if (index >= this.#allocated && this.#allocated < this.capacity) {
      const next = Math.min(this.capacity, this.#allocated * 4);
      if (!this.#budget || this.#budget.reserve((next - this.#allocated) * BYTES_PER_SLOT)) {
        this.#resize(next);
      } else {
        // Out of memory for taps: wrap at the size held (slot = index still, as no slot
        // has wrapped yet).
        this.#capacity = this.#allocated;
      }
    }
    this.#total += 1;
    if (this.#extras.size > 0) this.#setExtras(index % this.capacity, undefined);
    return index;
  }

  /** Sets (or, with undefined, clears) a slot's extras, keeping their bytes in the budget. */
  #setExtras(slot: number, extras: Extras | undefined): void {
    const before = this.#extras.get(slot);
    // Measured once, when set: an event's JSON is not encoded again when its slot is reused.
    const bytes = extras ? extrasBytes(extras) : 0;
    const delta = bytes - (before?.bytes ?? 0);
    if (extras) this.#extras.set(slot, { ...extras, bytes });
    else if (before) this.#extras.delete(slot);
    if (delta === 0) return;
    this.#extraBytes += delta;
    // Forced: an event is always recorded; the budget then refuses the next ring to grow.
    if (delta > 0) this.#budget?.reserve(delta, true);
    else this.#budget?.release(-delta);
  }
}

interface Extras {
  /** What `extrasBytes` found when the extras were set (kept with them). */
  bytes?: number;
  event?: InspectorEvent;
  closeReason?: string;
  error?: string;
  label?: string;
  layer?: string;
}

/** Bytes per held string character and per held object, as V8 keeps them (roughly). */
const CHAR_BYTES = 2;
const OBJECT_BYTES = 64;

/**
 * What a slot's extras hold, roughly: string lengths and an allowance per object. An event is
 * measured once by its JSON length (events are small and rare next to frames: a handshake, an
 * end, a long-polling exchange).
 */
function extrasBytes(extras: Extras): number {
  let bytes = OBJECT_BYTES;
  if (extras.event) bytes += OBJECT_BYTES + JSON.stringify(extras.event).length * CHAR_BYTES;
  for (const text of [extras.closeReason, extras.error, extras.label, extras.layer]) {
    if (text !== undefined) bytes += text.length * CHAR_BYTES;
  }
  return bytes;
}

/** Slots a new log starts with: a short connection costs little memory. */
const INITIAL_SLOTS = 64;

function grown<T extends Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array>(
  array: T,
  length: number,
): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
