import { describe, expect, it } from "vitest";
import {
  decodeFrameBatch,
  encodeFrameBatch,
  FRAME_BATCH_HEADER_BYTES,
  FRAME_BATCH_ROW_BYTES,
  type FrameColumns,
  FrameFlag,
  frameEventFromBatch,
} from "./frame-batch.ts";

const text = new TextEncoder();

/** Columns for `n` rows, row i a text frame "frame i" (every third one masked, to client). */
function columns(n: number): { columns: FrameColumns; previews: Uint8Array[] } {
  const previews = Array.from({ length: n }, (_, i) => text.encode(`frame ${i}`));
  const c: FrameColumns = {
    at: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i),
    payloadLength: Float64Array.from(previews, (p) => p.length),
    messageLength: Float64Array.from(previews, (p, i) => (i % 2 === 0 ? p.length : -1)),
    seq: Float64Array.from({ length: n }, (_, i) => i + 1),
    maskKey: Uint32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0xdeadbeef : 0)),
    closeCode: Int32Array.from({ length: n }, () => -1),
    previewLength: Uint16Array.from(previews, (p) => p.length),
    flags: Uint8Array.from({ length: n }, (_, i) =>
      i % 3 === 0
        ? FrameFlag.Fin | FrameFlag.Masked | FrameFlag.PreviewText
        : FrameFlag.Fin | FrameFlag.Out | FrameFlag.PreviewText,
    ),
    previewCut: new Uint8Array(n),
    opcode: Uint8Array.from({ length: n }, () => 1),
    headerLength: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 6 : 2)),
    lengthEncoding: new Uint8Array(n),
  };
  return { columns: c, previews };
}

describe("frame batches", () => {
  it("round-trips rows, in the order of the runs given (a ring's two halves)", () => {
    const { columns: source, previews } = columns(10);
    const encoded = encodeFrameBatch(
      source,
      [
        { start: 7, end: 10 },
        { start: 0, end: 2 },
      ],
      (row) => previews[row] as Uint8Array,
    );
    const previewBytes = [7, 8, 9, 0, 1].reduce(
      (sum, row) => sum + (previews[row]?.length ?? 0),
      0,
    );
    expect(encoded.byteLength).toBe(
      FRAME_BATCH_HEADER_BYTES + 5 * FRAME_BATCH_ROW_BYTES + previewBytes,
    );
    const decoded = decodeFrameBatch(encoded.slice());
    if (!decoded.ok) throw new Error(decoded.error);
    const events = Array.from({ length: decoded.batch.count }, (_, i) =>
      frameEventFromBatch(decoded.batch, i, "tap-1"),
    );
    expect(events.map((event) => event.preview)).toEqual([
      "frame 7",
      "frame 8",
      "frame 9",
      "frame 0",
      "frame 1",
    ]);
    expect(events[3]).toMatchObject({
      seq: 1,
      dir: "in",
      masked: true,
      maskKey: "deadbeef",
      headerLength: 6,
      messageLength: 7,
      compressed: false,
      previewEncoding: "text",
    });
    expect(events[0]).toMatchObject({ seq: 8, dir: "out", masked: false });
    expect(events[0]?.messageLength).toBeUndefined();
    expect(events[0]?.maskKey).toBeUndefined();
  });

  it("reads a batch that does not start 8-aligned in its buffer", () => {
    const { columns: source, previews } = columns(3);
    const encoded = encodeFrameBatch(
      source,
      [{ start: 0, end: 3 }],
      (row) => previews[row] as Uint8Array,
    );
    const shifted = new Uint8Array(encoded.byteLength + 3);
    shifted.set(encoded, 3);
    const decoded = decodeFrameBatch(shifted.subarray(3));
    expect(decoded.ok && frameEventFromBatch(decoded.batch, 2, "t").preview).toBe("frame 2");
  });

  it("returns errors as values for short, foreign and truncated input", () => {
    expect(decodeFrameBatch(new Uint8Array(4))).toMatchObject({ ok: false });
    const foreign = new Uint8Array(16);
    foreign[0] = 9;
    expect(decodeFrameBatch(foreign)).toMatchObject({ ok: false, error: /version/ });
    const { columns: source, previews } = columns(4);
    const encoded = encodeFrameBatch(
      source,
      [{ start: 0, end: 4 }],
      (row) => previews[row] as Uint8Array,
    );
    expect(decodeFrameBatch(encoded.subarray(0, encoded.length - 1))).toMatchObject({
      ok: false,
      error: /needs/,
    });
  });
});
