/**
 * The parser, the message assembler and the encoder against the real `ws` library's own
 * frame encoder (`Sender.frame`): for random opcodes, lengths around every encoding
 * boundary, masks (the all-zero one included, which `ws` treats specially), fragmentations,
 * control frames between fragments and chunkings of the byte stream, every field read back
 * is what `ws` was asked to write. The test runs in Node (it needs `ws`); the parser it
 * checks stays pure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wsSenderFrame } from "../../server/testing/ws-sender.ts";
import {
  type AssembleResult,
  encodeFrame,
  type FrameParseError,
  FrameParser,
  MessageAssembler,
  type ParsedFrame,
} from "./frame-parser.ts";

/** One frame as asked of `ws`: what the parser must give back. */
interface WireFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  maskKey: number | undefined;
  payload: Buffer;
  /** Set for close frames built from a code and a reason. */
  close?: { code: number; reason: string };
}

const BOUNDARY_LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 65537];

const dataLength = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...BOUNDARY_LENGTHS) },
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1001, max: 70_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(100_000, 262_144) },
);

/** Mostly random keys, sometimes none (server frames), sometimes all zero. */
const maskKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);

/**
 * Payload bytes from a seed: generating large arrays byte by byte through fast-check would
 * dominate the run time, and a seed shrinks just as well.
 */
function bytesFrom(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let state = seed | 1;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[index] = state & 0xff;
  }
  return out;
}

const utf8 = new TextEncoder();

/** Drops whole code points from the end until the reason fits in a close frame. */
function fitReason(reason: string): string {
  const points = [...reason];
  while (utf8.encode(points.join("")).length > 123) points.pop();
  return points.join("");
}

const controlFrame: fc.Arbitrary<WireFrame> = fc
  .oneof(
    fc.record({
      opcode: fc.constantFrom(9, 10),
      length: fc.oneof(fc.constantFrom(0, 1, 125), fc.integer({ min: 0, max: 125 })),
      seed: fc.integer(),
      maskKey,
    }),
    fc.record({
      opcode: fc.constant(8),
      // A close payload of one byte is malformed, but it is the peer's to refuse, not ours.
      length: fc.constantFrom(0, 1),
      seed: fc.integer(),
      maskKey,
    }),
    fc.record({
      opcode: fc.constant(8),
      code: fc.integer({ min: 1000, max: 4999 }),
      // Up to the 123 bytes a reason may take, often right at it: `size: "max"` because
      // fast-check otherwise keeps strings to about ten characters, whatever maxLength says.
      reason: fc
        .oneof(
          fc.string({ unit: "grapheme-ascii", maxLength: 123, size: "max" }),
          fc.string({ unit: "binary", maxLength: 123, size: "max" }),
          fc.string({ unit: "binary", maxLength: 10 }),
        )
        .map(fitReason),
      maskKey,
    }),
  )
  .map((spec): WireFrame => {
    const base = { fin: true, rsv1: false, rsv2: false, rsv3: false, maskKey: spec.maskKey };
    if ("code" in spec) {
      const payload = Buffer.concat([Buffer.alloc(2), Buffer.from(utf8.encode(spec.reason))]);
      payload.writeUInt16BE(spec.code, 0);
      return { ...base, opcode: 8, payload, close: { code: spec.code, reason: spec.reason } };
    }
    return { ...base, opcode: spec.opcode, payload: bytesFrom(spec.seed, spec.length) };
  });

const dataFrame: fc.Arbitrary<WireFrame> = fc
  .record({
    opcode: fc.constantFrom(0, 1, 2),
    fin: fc.boolean(),
    rsv1: fc.boolean(),
    rsv2: fc.boolean(),
    rsv3: fc.boolean(),
    length: dataLength,
    seed: fc.integer(),
    maskKey,
  })
  .map(({ length, seed, ...rest }) => ({ ...rest, payload: bytesFrom(seed, length) }));

/**
 * Encodes with `ws`. It has no RSV2/RSV3 options (no extension defines them), so those are
 * set on its output; it masks in place unless `readOnly`, so it gets a copy.
 */
function encodeWithWs(frame: WireFrame, readOnly: boolean): Buffer {
  const key = frame.maskKey;
  const parts = wsSenderFrame(Buffer.from(frame.payload), {
    fin: frame.fin,
    rsv1: frame.rsv1,
    opcode: frame.opcode,
    mask: key !== undefined,
    readOnly,
    ...(key !== undefined ? { generateMask: (mask: Buffer) => mask.writeUInt32BE(key, 0) } : {}),
  });
  const bytes = Buffer.concat(parts);
  bytes[0] = (bytes[0] as number) | (frame.rsv2 ? 0x20 : 0) | (frame.rsv3 ? 0x10 : 0);
  return bytes;
}

/** A frame after the broken one, which the parser must no longer read. */
const BLANK_TEXT: WireFrame = {
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 1,
  maskKey: undefined,
  payload: Buffer.from("hi"),
};

/** Cut points as fractions of the stream, or a fixed small chunk size. */
const chunking = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
);

function split(stream: Buffer, how: number[] | number): Buffer[] {
  if (typeof how === "number") {
    // Tiny chunks over a large stream would only make the run slow, not the test stronger.
    const size = stream.length <= 4096 ? how : how * 1021;
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < stream.length; offset += size) {
      chunks.push(stream.subarray(offset, offset + size));
    }
    return chunks;
  }
  const cuts = how.map((fraction) => Math.floor(fraction * stream.length)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const cut of [...cuts, stream.length]) {
    // Empty chunks included: a socket may deliver them.
    chunks.push(stream.subarray(offset, cut));
    offset = cut;
  }
  return chunks;
}

function parseChunks(chunks: Buffer[]): ParsedFrame[] {
  const parser = new FrameParser();
  const frames: ParsedFrame[] = [];
  for (const chunk of chunks) {
    const result = parser.push(chunk);
    expect(result.error).toBeUndefined();
    frames.push(...result.frames);
  }
  expect(parser.error).toBeUndefined();
  return frames;
}

const sameBytes = (actual: Uint8Array, expected: Uint8Array) =>
  Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength), expected) === 0;

function expectFrame(actual: ParsedFrame | undefined, expected: WireFrame): void {
  const length = expected.payload.length;
  const extended = length > 65535 ? 8 : length > 125 ? 2 : 0;
  const masked = expected.maskKey !== undefined;
  const isClose = expected.opcode === 8 && length >= 2;
  const { payload, ...fields } = actual ?? ({} as ParsedFrame);
  expect(fields).toEqual({
    fin: expected.fin,
    rsv1: expected.rsv1,
    rsv2: expected.rsv2,
    rsv3: expected.rsv3,
    opcode: expected.opcode,
    masked,
    maskKey: expected.maskKey,
    headerLength: 2 + extended + (masked ? 4 : 0),
    payloadLength: length,
    lengthEncoding: extended === 8 ? "64-bit" : extended === 2 ? "16-bit" : "7-bit",
    closeCode: isClose ? expected.payload.readUInt16BE(0) : undefined,
    closeReason: isClose
      ? (expected.close?.reason ?? new TextDecoder().decode(expected.payload.subarray(2)))
      : undefined,
  });
  expect(sameBytes(payload, expected.payload)).toBe(true);
}

interface Message {
  opcode: number;
  compressed: boolean;
  payload: Buffer;
  /** The frames on the wire: fragments, with control frames between them. */
  frames: WireFrame[];
}

/**
 * A text or binary message cut into fragments at random points (empty fragments allowed),
 * each with its own mask as a browser would, and control frames after any fragment but the
 * last (after the last they would lie between messages, which the next message covers).
 */
const message: fc.Arbitrary<Message> = fc
  .record({
    opcode: fc.constantFrom(1, 2),
    compressed: fc.boolean(),
    length: dataLength,
    seed: fc.integer(),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
    controls: fc.array(fc.option(controlFrame, { nil: undefined }), { maxLength: 5 }),
    leading: fc.option(controlFrame, { nil: undefined }),
    key: maskKey,
  })
  .map(({ opcode, compressed, length, seed, cuts, controls, leading, key }): Message => {
    const payload = bytesFrom(seed, length);
    const bounds = [0, ...cuts.map((cut) => Math.floor(cut * length)).sort((a, b) => a - b)];
    const frames: WireFrame[] = leading ? [leading] : [];
    bounds.forEach((start, index) => {
      const last = index === bounds.length - 1;
      frames.push({
        fin: last,
        rsv1: index === 0 && compressed,
        rsv2: false,
        rsv3: false,
        opcode: index === 0 ? opcode : 0,
        // Distinct per frame; multiplying by an odd constant keeps the zero key possible.
        maskKey: key === undefined ? undefined : Math.imul(key, 2 * index + 1) >>> 0,
        payload: payload.subarray(start, last ? length : bounds[index + 1]),
      });
      const control = controls[index];
      if (control && !last) frames.push(control);
    });
    return { opcode, compressed, payload, frames };
  });

// Thousands of frames up to 70 KB each: seconds of work, more while other test files run.
describe("FrameParser against ws's Sender", { timeout: 60_000 }, () => {
  it("reads every field of any sequence of frames, however the stream is cut (4,000 cases)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(controlFrame, dataFrame), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        chunking,
        (frames, readOnly, how) => {
          const stream = Buffer.concat(frames.map((frame) => encodeWithWs(frame, readOnly)));
          const parsed = parseChunks(split(stream, how));
          expect(parsed).toHaveLength(frames.length);
          frames.forEach((frame, index) => {
            expectFrame(parsed[index], frame);
          });
        },
      ),
      { numRuns: 4_000 },
    );
  });
});

describe("MessageAssembler against ws's Sender", { timeout: 60_000 }, () => {
  it("rebuilds fragmented messages with control frames between fragments (4,000 cases)", () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        chunking,
        (messages, readOnly, how) => {
          const wire = messages.flatMap((each) => each.frames);
          const stream = Buffer.concat(wire.map((frame) => encodeWithWs(frame, readOnly)));
          const parsed = parseChunks(split(stream, how));
          expect(parsed).toHaveLength(wire.length);
          wire.forEach((frame, index) => {
            expectFrame(parsed[index], frame);
          });

          const assembler = new MessageAssembler();
          const results: AssembleResult[] = parsed.map((frame) => assembler.push(frame));
          expect(results.filter((result) => result.error)).toEqual([]);
          // A message comes out exactly on the frame that ends it, and nowhere else.
          const endings = wire.flatMap((frame, index) =>
            frame.opcode < 8 && frame.fin ? [index] : [],
          );
          expect(results.flatMap((result, index) => (result.message ? [index] : []))).toEqual(
            endings,
          );
          endings.forEach((frameIndex, index) => {
            const expected = messages[index] as Message;
            const { payload, ...fields } = results[frameIndex]?.message ?? {
              payload: new Uint8Array(),
            };
            expect(fields).toEqual({
              opcode: expected.opcode,
              compressed: expected.compressed,
              frames: expected.frames.filter((frame) => frame.opcode < 8).length,
              wireLength: expected.payload.length,
            });
            expect(sameBytes(payload, expected.payload)).toBe(true);
          });
          expect(assembler.inProgress).toBe(false);
        },
      ),
      { numRuns: 4_000 },
    );
  });
});

describe("FrameParser on a 64-bit length with its most significant bit set", () => {
  it("reports the protocol error after the frames before it, however cut, then stops (1,000 cases)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(controlFrame, dataFrame), { maxLength: 3 }),
        fc.integer({ min: 0x80000000, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.record({ opcode: fc.constantFrom(0, 1, 2), fin: fc.boolean(), key: maskKey }),
        chunking,
        (before, high, low, { opcode, fin, key }, how) => {
          const bad = Buffer.alloc(key === undefined ? 10 : 14);
          bad[0] = (fin ? 0x80 : 0) | opcode;
          bad[1] = (key === undefined ? 0 : 0x80) | 127;
          bad.writeUInt32BE(high, 2);
          bad.writeUInt32BE(low, 6);
          if (key !== undefined) bad.writeUInt32BE(key, 10);
          const after = encodeWithWs(BLANK_TEXT, true);
          const stream = Buffer.concat([
            ...before.map((frame) => encodeWithWs(frame, true)),
            bad,
            after,
          ]);
          const parser = new FrameParser();
          const parsed: ParsedFrame[] = [];
          const errors: FrameParseError[] = [];
          for (const chunk of split(stream, how)) {
            const result = parser.push(chunk);
            parsed.push(...result.frames);
            if (result.error) errors.push(result.error);
          }
          expect(parsed).toHaveLength(before.length);
          before.forEach((frame, index) => {
            expectFrame(parsed[index], frame);
          });
          expect(errors).toEqual([
            {
              code: "WS_ERR_INVALID_LENGTH",
              closeCode: 1002,
              message: "64-bit payload length with the most significant bit set",
            },
          ]);
          expect(parser.push(after)).toEqual({ frames: [] });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe("encodeFrame against ws's Sender", { timeout: 60_000 }, () => {
  it("writes byte for byte what ws writes, leaving its input alone (3,000 cases)", () => {
    fc.assert(
      fc.property(
        fc.oneof(controlFrame, dataFrame).map((frame) => ({ ...frame, rsv2: false, rsv3: false })),
        (frame) => {
          const input = Buffer.from(frame.payload);
          const ours = encodeFrame({
            fin: frame.fin,
            rsv1: frame.rsv1,
            opcode: frame.opcode,
            payload: input,
            ...(frame.maskKey !== undefined ? { maskKey: frame.maskKey } : {}),
          });
          expect(sameBytes(ours, encodeWithWs(frame, true))).toBe(true);
          expect(input.equals(frame.payload)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
