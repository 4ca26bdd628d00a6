/**
 * The inspector's compact encoding of frame events (`/inspect?tap=ID&format=binary`): one
 * binary WebSocket message carries many frames, column by column, so the page reads them as
 * typed-array views of the message itself and builds a row object only for a row it shows.
 * About 43 bytes a frame plus its preview, against ~380 for the same frame as JSON, and no
 * per-frame parsing: what lets a browser keep up at thousands of frames a second.
 *
 * Layout, little-endian, every column aligned to its element size:
 *
 *   header   u8 version (1) · u8 kind (1 = frames) · u16 0 · u32 count · u32 previewBytes · u32 0
 *   f64 × count   at, payloadLength, messageLength (-1: not the end of a data message)
 *   u32 × count   seq, maskKey
 *   i32 × count   closeCode (-1: none)
 *   u16 × count   previewLength
 *   u8  × count   flags (FrameFlag), previewCut (1: the payload was longer than the preview),
 *                 opcode, headerLength, lengthEncoding (0: 7-bit, 1: 16-bit, 2: 64-bit)
 *   previewBytes  each frame's decoded preview, one after another
 *
 * Frames with anything else to say (a close reason, a protocol error) and every other event
 * travel as JSON text messages between the binary ones, in order. Pure: shared by the server
 * (which fills the columns straight from its tap log) and the page.
 */
import { formatHex } from "./binary-text.ts";
import { formatMaskKey, opcodeName } from "./frame-parser.ts";
import type { FrameEvent } from "./inspector-events.ts";

export const FRAME_BATCH_VERSION = 1;
const KIND_FRAMES = 1;
export const FRAME_BATCH_HEADER_BYTES = 16;
/** Fixed bytes per frame, before its preview. */
export const FRAME_BATCH_ROW_BYTES = 3 * 8 + 3 * 4 + 2 + 5;

/** Bits of the flags column (the tap's log stores them the same way). */
export const FrameFlag = {
  Fin: 1,
  Rsv1: 2,
  Rsv2: 4,
  Rsv3: 8,
  Masked: 16,
  /** server → client */
  Out: 32,
  /** The message this frame ends was compressed. */
  Compressed: 64,
  /** The preview is UTF-8 text (else shown as hex). */
  PreviewText: 128,
} as const;

export const LENGTH_ENCODINGS = ["7-bit", "16-bit", "64-bit"] as const;

/** The columns of a batch (or of the tap's log, which has the same shape). */
export interface FrameColumns {
  at: Float64Array;
  payloadLength: Float64Array;
  messageLength: Float64Array;
  seq: Uint32Array | Float64Array;
  maskKey: Uint32Array;
  closeCode: Int32Array;
  previewLength: Uint16Array;
  flags: Uint8Array;
  previewCut: Uint8Array;
  opcode: Uint8Array;
  headerLength: Uint8Array;
  lengthEncoding: Uint8Array;
}

export interface FrameBatch extends FrameColumns {
  count: number;
  seq: Uint32Array;
  previews: Uint8Array;
  /** Where frame i's preview starts in `previews` (count + 1 entries). */
  previewStart: Uint32Array;
}

interface Offsets {
  at: number;
  payloadLength: number;
  messageLength: number;
  seq: number;
  maskKey: number;
  closeCode: number;
  previewLength: number;
  flags: number;
  previewCut: number;
  opcode: number;
  headerLength: number;
  lengthEncoding: number;
  previews: number;
  end: number;
}

function offsets(count: number, previewBytes: number): Offsets {
  let at = FRAME_BATCH_HEADER_BYTES;
  const next = (size: number) => {
    const start = at;
    at += size * count;
    return start;
  };
  const layout = {
    at: next(8),
    payloadLength: next(8),
    messageLength: next(8),
    seq: next(4),
    maskKey: next(4),
    closeCode: next(4),
    previewLength: next(2),
    flags: next(1),
    previewCut: next(1),
    opcode: next(1),
    headerLength: next(1),
    lengthEncoding: next(1),
    previews: 0,
    end: 0,
  };
  layout.previews = at;
  layout.end = at + previewBytes;
  return layout;
}

/** The views of a batch laid out in `buffer` at `byteOffset` (which must be 8-aligned). */
function views(buffer: ArrayBuffer, byteOffset: number, count: number, previewBytes: number) {
  const o = offsets(count, previewBytes);
  return {
    at: new Float64Array(buffer, byteOffset + o.at, count),
    payloadLength: new Float64Array(buffer, byteOffset + o.payloadLength, count),
    messageLength: new Float64Array(buffer, byteOffset + o.messageLength, count),
    seq: new Uint32Array(buffer, byteOffset + o.seq, count),
    maskKey: new Uint32Array(buffer, byteOffset + o.maskKey, count),
    closeCode: new Int32Array(buffer, byteOffset + o.closeCode, count),
    previewLength: new Uint16Array(buffer, byteOffset + o.previewLength, count),
    flags: new Uint8Array(buffer, byteOffset + o.flags, count),
    previewCut: new Uint8Array(buffer, byteOffset + o.previewCut, count),
    opcode: new Uint8Array(buffer, byteOffset + o.opcode, count),
    headerLength: new Uint8Array(buffer, byteOffset + o.headerLength, count),
    lengthEncoding: new Uint8Array(buffer, byteOffset + o.lengthEncoding, count),
    previews: new Uint8Array(buffer, byteOffset + o.previews, previewBytes),
  };
}

/** A run of consecutive rows `[start, end)` of a column source (a ring may need two runs). */
export interface RowRun {
  start: number;
  end: number;
}

/**
 * Encodes the rows of `source` named by `runs`, in order, as one batch. `previewOf(row)`
 * gives a row's preview bytes. Typed-array columns are copied run by run, not row by row.
 */
export function encodeFrameBatch(
  source: FrameColumns,
  runs: readonly RowRun[],
  previewOf: (row: number) => Uint8Array,
): Uint8Array {
  let count = 0;
  let previewBytes = 0;
  for (const run of runs) {
    count += run.end - run.start;
    for (let row = run.start; row < run.end; row += 1) {
      previewBytes += source.previewLength[row] as number;
    }
  }
  const o = offsets(count, previewBytes);
  // Rounded up to 8 bytes so that a reader may copy the batch into an aligned buffer whole.
  const buffer = new ArrayBuffer(Math.ceil(o.end / 8) * 8);
  const header = new DataView(buffer);
  header.setUint8(0, FRAME_BATCH_VERSION);
  header.setUint8(1, KIND_FRAMES);
  header.setUint32(4, count, true);
  header.setUint32(8, previewBytes, true);
  const target = views(buffer, 0, count, previewBytes);
  let written = 0;
  let previewAt = 0;
  for (const run of runs) {
    const n = run.end - run.start;
    for (const name of COLUMN_NAMES) {
      (target[name] as Float64Array).set(
        (source[name] as Float64Array).subarray(run.start, run.end),
        written,
      );
    }
    for (let row = run.start; row < run.end; row += 1) {
      const preview = previewOf(row);
      target.previews.set(preview, previewAt);
      previewAt += preview.length;
    }
    written += n;
  }
  if (!LITTLE_ENDIAN) swapToLittleEndian(buffer, count, previewBytes);
  return new Uint8Array(buffer, 0, o.end);
}

const COLUMN_NAMES = [
  "at",
  "payloadLength",
  "messageLength",
  "seq",
  "maskKey",
  "closeCode",
  "previewLength",
  "flags",
  "previewCut",
  "opcode",
  "headerLength",
  "lengthEncoding",
] as const satisfies readonly (keyof FrameColumns)[];

export type FrameBatchResult = { ok: true; batch: FrameBatch } | { ok: false; error: string };

/**
 * Reads a batch without copying when `bytes` starts 8-aligned in its buffer (a WebSocket
 * message's ArrayBuffer does); otherwise from an aligned copy. Errors come back as values.
 */
export function decodeFrameBatch(bytes: ArrayBuffer | Uint8Array): FrameBatchResult {
  let data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (data.byteLength < FRAME_BATCH_HEADER_BYTES) {
    return { ok: false, error: `a frame batch needs at least 16 bytes, got ${data.byteLength}` };
  }
  if (data.byteOffset % 8 !== 0) data = data.slice();
  const header = new DataView(data.buffer, data.byteOffset, FRAME_BATCH_HEADER_BYTES);
  const version = header.getUint8(0);
  if (version !== FRAME_BATCH_VERSION || header.getUint8(1) !== KIND_FRAMES) {
    return { ok: false, error: `unknown frame batch version ${version}/${header.getUint8(1)}` };
  }
  const count = header.getUint32(4, true);
  const previewBytes = header.getUint32(8, true);
  const needed = offsets(count, previewBytes).end;
  if (needed > data.byteLength) {
    return {
      ok: false,
      error: `a batch of ${count} frames needs ${needed} bytes, got ${data.byteLength}`,
    };
  }
  if (!LITTLE_ENDIAN) {
    data = data.slice();
    swapToLittleEndian(data.buffer as ArrayBuffer, count, previewBytes);
  }
  const v = views(data.buffer as ArrayBuffer, data.byteOffset, count, previewBytes);
  const previewStart = new Uint32Array(count + 1);
  for (let index = 0; index < count; index += 1) {
    previewStart[index + 1] = (previewStart[index] as number) + (v.previewLength[index] as number);
  }
  if ((previewStart[count] as number) !== previewBytes) {
    return { ok: false, error: "the previews' lengths do not add up to the batch's preview bytes" };
  }
  return { ok: true, batch: { count, ...v, previewStart } };
}

/** The preview bytes of frame `index` of a batch (a view, not a copy). */
export function batchPreview(batch: FrameBatch, index: number): Uint8Array {
  return batch.previews.subarray(batch.previewStart[index], batch.previewStart[index + 1]);
}

const utf8 = new TextDecoder("utf-8");

/** Frame `index` of a batch as the JSON encoding would have carried it. */
export function frameEventFromBatch(batch: FrameBatch, index: number, tap: string): FrameEvent {
  const flags = batch.flags[index] as number;
  const opcode = batch.opcode[index] as number;
  const preview = batchPreview(batch, index);
  const asText = (flags & FrameFlag.PreviewText) !== 0;
  const event: FrameEvent = {
    type: "frame",
    tap,
    seq: batch.seq[index] as number,
    at: batch.at[index] as number,
    dir: flags & FrameFlag.Out ? "out" : "in",
    fin: (flags & FrameFlag.Fin) !== 0,
    rsv1: (flags & FrameFlag.Rsv1) !== 0,
    rsv2: (flags & FrameFlag.Rsv2) !== 0,
    rsv3: (flags & FrameFlag.Rsv3) !== 0,
    opcode,
    opname: opcodeName(opcode),
    masked: (flags & FrameFlag.Masked) !== 0,
    headerLength: batch.headerLength[index] as number,
    payloadLength: batch.payloadLength[index] as number,
    lengthEncoding: LENGTH_ENCODINGS[batch.lengthEncoding[index] as number] ?? "7-bit",
    preview: asText
      ? utf8.decode(trimPartialCharacter(preview, batch.previewCut[index] === 1))
      : formatHex(preview),
    previewEncoding: asText ? "text" : "hex",
  };
  if (event.masked) event.maskKey = formatMaskKey(batch.maskKey[index] as number);
  const messageLength = batch.messageLength[index] as number;
  if (messageLength >= 0) {
    event.messageLength = messageLength;
    event.compressed = (flags & FrameFlag.Compressed) !== 0;
  }
  const closeCode = batch.closeCode[index] as number;
  if (closeCode >= 0) {
    event.closeCode = closeCode;
    event.closeReason = "";
  }
  return event;
}

/** Drops a UTF-8 sequence cut in two by the preview limit, so it does not show as U+FFFD. */
export function trimPartialCharacter(bytes: Uint8Array, wasCut: boolean): Uint8Array {
  if (!wasCut) return bytes;
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 4 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) {
    end -= 1;
    back += 1;
  }
  // `end - 1` is now a lead byte (or ASCII); drop it if its sequence is incomplete.
  const lead = bytes[end - 1] ?? 0;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return needed > back + 1 ? bytes.subarray(0, end - 1) : bytes;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Typed arrays use the platform's byte order; the batch is little-endian whatever it is. */
function swapToLittleEndian(buffer: ArrayBuffer, count: number, previewBytes: number): void {
  const o = offsets(count, previewBytes);
  const bytes = new Uint8Array(buffer);
  const swap = (start: number, size: number) => {
    for (let at = start; at < start + size * count; at += size) {
      bytes.subarray(at, at + size).reverse();
    }
  };
  swap(o.at, 8);
  swap(o.payloadLength, 8);
  swap(o.messageLength, 8);
  swap(o.seq, 4);
  swap(o.maskKey, 4);
  swap(o.closeCode, 4);
  swap(o.previewLength, 2);
}
