/**
 * Our frame parser against the real `ws` library's frame encoder: for random opcodes,
 * lengths around every encoding boundary, masks, fragmentations and chunkings, parsing what
 * `ws` wrote gives back exactly what it was asked to write. (Here rather than beside the
 * parser in src/protocol because `ws` is Node-only.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameParser, type ParsedFrame } from "../../src/protocol/frame-parser.ts";
import { wsSenderFrame } from "../testing/ws-sender.ts";

const BOUNDARY_LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 65537];

const length = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_LENGTHS) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 301, max: 70_000 }) },
);

interface FrameSpec {
  opcode: number;
  fin: boolean;
  rsv1: boolean;
  payloadLength: number;
  seed: number;
  mask: Uint8Array | undefined;
}

const controlFrame = fc.record({
  opcode: fc.constantFrom(8, 9, 10),
  fin: fc.constant(true),
  rsv1: fc.constant(false),
  payloadLength: fc.oneof(fc.constantFrom(0, 2, 125), fc.integer({ min: 2, max: 125 })),
  seed: fc.integer({ min: 0, max: 255 }),
  mask: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
});

/** A data message as `parts` frames: text/binary first, then continuations, FIN on the last. */
const message = fc
  .record({
    opcode: fc.constantFrom(1, 2),
    rsv1: fc.boolean(),
    lengths: fc.array(length, { minLength: 1, maxLength: 4 }),
    seed: fc.integer({ min: 0, max: 255 }),
    mask: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
  })
  .map(({ opcode, rsv1, lengths, seed, mask }): FrameSpec[] =>
    lengths.map((payloadLength, index) => ({
      opcode: index === 0 ? opcode : 0,
      fin: index === lengths.length - 1,
      rsv1: index === 0 && rsv1,
      payloadLength,
      seed: seed + index,
      mask,
    })),
  );

const payloadFor = (spec: FrameSpec) => {
  const payload = Buffer.alloc(spec.payloadLength);
  for (let index = 0; index < payload.length; index += 1)
    payload[index] = (spec.seed + index * 31) & 0xff;
  // A close frame's first two bytes are its code; keep it a valid one.
  if (spec.opcode === 8 && payload.length >= 2) payload.writeUInt16BE(1000 + (spec.seed % 100), 0);
  return payload;
};

function encodeWithWs(spec: FrameSpec): Buffer {
  const parts = wsSenderFrame(payloadFor(spec), {
    fin: spec.fin,
    rsv1: spec.rsv1,
    opcode: spec.opcode,
    mask: spec.mask !== undefined,
    readOnly: false,
    ...(spec.mask ? { generateMask: (mask: Buffer) => mask.set(spec.mask as Uint8Array) } : {}),
  });
  return Buffer.concat(parts);
}

const expectedHeaderLength = (spec: FrameSpec) =>
  2 + (spec.payloadLength > 65535 ? 8 : spec.payloadLength > 125 ? 2 : 0) + (spec.mask ? 4 : 0);

function check(frames: FrameSpec[], cuts: number[]): void {
  const stream = Buffer.concat(frames.map(encodeWithWs));
  const parser = new FrameParser();
  const parsed: ParsedFrame[] = [];
  let offset = 0;
  for (const cut of [
    ...cuts.map((c) => Math.floor(c * stream.length)).sort((a, b) => a - b),
    stream.length,
  ]) {
    const result = parser.push(stream.subarray(offset, Math.max(offset, cut)));
    expect(result.error).toBeUndefined();
    parsed.push(...result.frames);
    offset = Math.max(offset, cut);
  }
  expect(parsed).toHaveLength(frames.length);
  frames.forEach((spec, index) => {
    const frame = parsed[index] as ParsedFrame;
    expect(frame.opcode).toBe(spec.opcode);
    expect(frame.fin).toBe(spec.fin);
    expect(frame.rsv1).toBe(spec.rsv1);
    expect(frame.masked).toBe(spec.mask !== undefined);
    expect(frame.payloadLength).toBe(spec.payloadLength);
    expect(frame.headerLength).toBe(expectedHeaderLength(spec));
    if (spec.mask) expect(frame.maskKey).toBe(Buffer.from(spec.mask).readUInt32BE(0));
    expect(Buffer.from(frame.payload).equals(payloadFor(spec))).toBe(true);
  });
}

// Thousands of frames up to 70 KB each: seconds of work, more while other test files run.
describe("FrameParser against ws's Sender", { timeout: 60_000 }, () => {
  it("parses single frames of every kind and boundary length (5,000 cases)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          controlFrame.map((spec) => [spec]),
          message.map((specs) => specs.slice(0, 1).map((spec) => ({ ...spec, fin: true }))),
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        (frames, cuts) => check(frames, cuts),
      ),
      { numRuns: 5_000 },
    );
  });

  it("parses fragmented messages with control frames between fragments (5,000 cases)", () => {
    fc.assert(
      fc.property(
        message,
        fc.array(controlFrame, { maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (fragments, controls, cuts) => {
          // Interleave: a control frame may follow any fragment but the last.
          const frames: FrameSpec[] = [];
          fragments.forEach((fragment, index) => {
            frames.push(fragment);
            const control = controls[index];
            if (control && index < fragments.length - 1) frames.push(control);
          });
          check(frames, cuts);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
