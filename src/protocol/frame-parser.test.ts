import { describe, expect, it } from "vitest";
import {
  type AssembledMessage,
  encodeFrame,
  type FrameParseError,
  FrameParser,
  MessageAssembler,
  Opcode,
  opcodeName,
  type ParsedFrame,
  unmask,
} from "./frame-parser.ts";

const hex = (text: string) =>
  Uint8Array.from(
    (text.replace(/\s/g, "").match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)),
  );
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (value: string) => new TextEncoder().encode(value);

function parseAll(bytes: Uint8Array, chunkSize = bytes.length) {
  const parser = new FrameParser();
  const frames: ParsedFrame[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    const result = parser.push(bytes.subarray(offset, offset + chunkSize));
    frames.push(...result.frames);
    if (result.error) return { frames, error: result.error, parser };
  }
  return { frames, error: undefined, parser };
}

describe("RFC 6455 §5.7 examples", () => {
  it("a single-frame unmasked text message", () => {
    const { frames } = parseAll(hex("81 05 48 65 6c 6c 6f"));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({
      fin: true,
      rsv1: false,
      opcode: 1,
      masked: false,
      maskKey: undefined,
      headerLength: 2,
      payloadLength: 5,
      lengthEncoding: "7-bit",
    });
    expect(text(frames[0]?.payload ?? new Uint8Array())).toBe("Hello");
  });

  it("a single-frame masked text message", () => {
    const { frames } = parseAll(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    expect(frames[0]).toMatchObject({ masked: true, headerLength: 6, payloadLength: 5 });
    expect(frames[0]?.maskKey).toBe(0x37fa213d);
    expect(text(frames[0]?.payload ?? new Uint8Array())).toBe("Hello");
  });

  it("a fragmented unmasked text message", () => {
    const { frames } = parseAll(hex("01 03 48 65 6c 80 02 6c 6f"));
    expect(frames.map((frame) => [frame.fin, frame.opcode, text(frame.payload)])).toEqual([
      [false, 1, "Hel"],
      [true, 0, "lo"],
    ]);
  });

  it("an unmasked ping and a masked pong", () => {
    const { frames } = parseAll(hex("89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58"));
    expect(frames.map((frame) => [frame.opcode, frame.masked, text(frame.payload)])).toEqual([
      [9, false, "Hello"],
      [10, true, "Hello"],
    ]);
  });

  it("256 bytes of binary in one unmasked frame: 16-bit length", () => {
    const payload = Uint8Array.from({ length: 256 }, (_, index) => index);
    const { frames } = parseAll(new Uint8Array([...hex("82 7e 01 00"), ...payload]));
    expect(frames[0]).toMatchObject({
      headerLength: 4,
      payloadLength: 256,
      lengthEncoding: "16-bit",
    });
    expect([...(frames[0]?.payload ?? [])]).toEqual([...payload]);
  });

  it("64 KiB of binary in one unmasked frame: 64-bit length", () => {
    const payload = new Uint8Array(65536).fill(0xab);
    const { frames } = parseAll(
      new Uint8Array([...hex("82 7f 00 00 00 00 00 01 00 00"), ...payload]),
    );
    expect(frames[0]).toMatchObject({
      headerLength: 10,
      payloadLength: 65536,
      lengthEncoding: "64-bit",
    });
    expect(frames[0]?.payload.every((byte) => byte === 0xab)).toBe(true);
  });
});

describe("close frames", () => {
  it("reads the code and the reason", () => {
    const { frames } = parseAll(hex("88 0b 0f a1 67 6f 6f 64 20 62 79 65 21"));
    expect(frames[0]).toMatchObject({ opcode: 8, closeCode: 4001, closeReason: "good bye!" });
  });

  it("has no code when the payload is empty", () => {
    const { frames } = parseAll(hex("88 00"));
    expect(frames[0]?.closeCode).toBeUndefined();
  });
});

describe("chunking", () => {
  it("gives the same frames fed one byte at a time", () => {
    const stream = hex(
      "81 85 37 fa 21 3d 7f 9f 4d 51 58 01 03 48 65 6c 89 00 80 02 6c 6f 88 02 03 e8",
    );
    const whole = parseAll(stream).frames;
    const bytewise = parseAll(stream, 1).frames;
    expect(bytewise).toEqual(whole);
    expect(whole.map((frame) => frame.opcode)).toEqual([1, 1, 9, 0, 8]);
  });

  it("returns a frame as soon as its last byte arrives, keeping the rest for the next", () => {
    const parser = new FrameParser();
    const first = parser.push(hex("81 02 68 69 82 03 01"));
    expect(first.frames.map((frame) => text(frame.payload))).toEqual(["hi"]);
    expect(parser.push(hex("02")).frames).toEqual([]);
    const last = parser.push(hex("03 89 00"));
    expect(last.frames.map((frame) => [frame.opcode, [...frame.payload]])).toEqual([
      [2, [1, 2, 3]],
      [9, []],
    ]);
  });

  it("stays linear when a large payload arrives one byte at a time", () => {
    const payload = Uint8Array.from({ length: 128 * 1024 }, (_, index) => index % 251);
    const bytes = encodeFrame({ opcode: Opcode.Binary, payload, maskKey: 0x01020304 });
    const started = performance.now();
    const { frames } = parseAll(bytes, 1);
    // Quadratic buffering took tens of seconds here; linear takes a fraction of one.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.payload).toEqual(payload);
  });

  it("does not modify the bytes it was given (another reader shares them)", () => {
    const stream = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    const copy = stream.slice();
    parseAll(stream);
    expect(stream).toEqual(copy);
  });
});

describe("protocol errors come back as values", () => {
  it.each([
    ["a reserved opcode", "83 00", "WS_ERR_INVALID_OPCODE", 1002],
    ["a fragmented control frame", "09 00", "WS_ERR_EXPECTED_FIN", 1002],
    [
      "a control frame over 125 bytes",
      "89 7e 00 7e",
      "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH",
      1002,
    ],
    [
      "a 64-bit length with its top bit set",
      "82 7f 80 00 00 00 00 00 00 00",
      "WS_ERR_INVALID_LENGTH",
      1002,
    ],
  ])("%s", (_name, bytes, code, closeCode) => {
    const { error } = parseAll(hex(bytes));
    expect(error).toMatchObject({ code, closeCode });
  });

  it("refuses a 64-bit length above 2^53 - 1, which a number cannot hold, with 1009", () => {
    const { error } = parseAll(hex("82 7f 00 20 00 00 00 00 00 00"));
    expect(error).toMatchObject({
      code: "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH",
      closeCode: 1009,
    });
  });

  it("finds the same error when the header arrives one byte at a time", () => {
    const { frames, error } = parseAll(hex("81 00 82 7f 80 00 00 00 00 00 00 00"), 1);
    expect(frames).toHaveLength(1);
    expect(error?.code).toBe("WS_ERR_INVALID_LENGTH");
  });

  it("refuses a frame above maxPayload with 1009", () => {
    const parser = new FrameParser({ maxPayload: 100 });
    expect(parser.push(hex("82 7e 01 00")).error).toMatchObject({ closeCode: 1009 });
  });

  it("keeps the frames before the error and stops reading after it", () => {
    const parser = new FrameParser();
    const result = parser.push(hex("81 02 68 69 83 00 81 02 68 69"));
    expect(result.frames).toHaveLength(1);
    expect(result.error?.code).toBe("WS_ERR_INVALID_OPCODE");
    expect(parser.error?.code).toBe("WS_ERR_INVALID_OPCODE");
    expect(parser.push(hex("81 02 68 69"))).toEqual({ frames: [] });
  });

  it("accepts a frame exactly at maxPayload", () => {
    const parser = new FrameParser({ maxPayload: 3 });
    expect(parser.push(hex("82 03 01 02 03"))).toMatchObject({ frames: [{ payloadLength: 3 }] });
  });

  it("accepts RSV bits, which extensions use", () => {
    const { frames, error } = parseAll(hex("f1 01 00"));
    expect(error).toBeUndefined();
    expect(frames[0]).toMatchObject({ rsv1: true, rsv2: true, rsv3: true });
  });

  it("accepts masked and unmasked frames alike: it reads both directions", () => {
    const { frames, error } = parseAll(hex("81 81 00 00 00 00 61 81 01 61"));
    expect(error).toBeUndefined();
    expect(frames.map((frame) => [frame.masked, text(frame.payload)])).toEqual([
      [true, "a"],
      [false, "a"],
    ]);
  });
});

describe("a 64-bit length with its most significant bit set (RFC 6455 §5.2: it MUST be 0)", () => {
  it.each([
    ["the top bit alone", "82 7f 80 00 00 00 00 00 00 00"],
    ["every bit set, which would otherwise be too long (1009)", "82 7f ff ff ff ff ff ff ff ff"],
    [
      "the top bit over a small length, with its payload",
      "81 7f 80 00 00 00 00 00 00 05 68 65 6c 6c 6f",
    ],
    ["a masked frame", "82 ff 80 00 00 00 00 01 00 00 37 fa 21 3d"],
    ["a continuation", "00 7f c0 00 00 00 00 00 00 02 61 62"],
  ])("is a protocol error (1002), not a length: %s", (_name, bytes) => {
    for (const chunkSize of [hex(bytes).length, 1]) {
      const { frames, error, parser } = parseAll(hex(bytes), chunkSize);
      expect(frames).toEqual([]);
      expect(error).toEqual({
        code: "WS_ERR_INVALID_LENGTH",
        closeCode: 1002,
        message: "64-bit payload length with the most significant bit set",
      });
      expect(parser.error).toEqual(error);
    }
  });

  it("is not mistaken for a length above 2^53 - 1, which is 1009, nor the reverse", () => {
    expect(parseAll(hex("82 7f 7f ff ff ff ff ff ff ff")).error).toMatchObject({
      code: "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH",
      closeCode: 1009,
    });
    // 2^53 - 1 itself is a length: the parser waits for the payload.
    expect(parseAll(hex("82 7f 00 1f ff ff ff ff ff ff"))).toMatchObject({
      frames: [],
      error: undefined,
    });
  });

  it("keeps the frames before it, then reads nothing more, as after any error", () => {
    const parser = new FrameParser();
    const result = parser.push(hex("81 02 68 69 82 7f 80 00 00 00 00 00 00 00 81 02 68 69"));
    expect(result.frames.map((frame) => text(frame.payload))).toEqual(["hi"]);
    expect(result.error?.code).toBe("WS_ERR_INVALID_LENGTH");
    expect(parser.push(hex("81 02 68 69"))).toEqual({ frames: [] });
    const after: ParsedFrame[] = [];
    expect(parser.feed(hex("81 02 68 69"), (frame) => after.push(frame))).toBeUndefined();
    expect(after).toEqual([]);
    expect(parser.error?.code).toBe("WS_ERR_INVALID_LENGTH");
  });

  it("is found when the length arrives split at every byte of the header", () => {
    const bytes = hex("81 00 82 7f 80 00 00 00 00 00 00 00");
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const parser = new FrameParser();
      const first = parser.push(bytes.subarray(0, cut));
      const second = parser.push(bytes.subarray(cut));
      expect([...first.frames, ...second.frames]).toHaveLength(1);
      expect(first.error ?? second.error).toMatchObject({ code: "WS_ERR_INVALID_LENGTH" });
    }
  });
});

describe("keepMasked", () => {
  it("leaves data payloads masked for the reader to unmask what it needs", () => {
    const parser = new FrameParser({ keepMasked: true });
    const [frame] = parser.push(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")).frames;
    expect(frame?.payload).toEqual(hex("7f 9f 4d 51 58"));
    expect(text(unmask(frame?.payload ?? new Uint8Array(), frame?.maskKey ?? 0, 3))).toBe("Hel");
  });

  it("still reads a masked close frame's code and reason", () => {
    const close = encodeFrame({ opcode: 8, payload: hex("0f a1 68 69"), maskKey: 0xdeadbeef });
    const [frame] = new FrameParser({ keepMasked: true }).push(close).frames;
    expect(frame).toMatchObject({ closeCode: 4001, closeReason: "hi" });
    expect(frame?.payload).toEqual(close.subarray(6));
  });
});

describe("encodeFrame", () => {
  it("writes RFC 6455's masked Hello", () => {
    const frame = encodeFrame({
      opcode: 1,
      payload: new TextEncoder().encode("Hello"),
      maskKey: 0x37fa213d,
    });
    expect(frame).toEqual(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
  });

  it("unmask is its own inverse", () => {
    const key = 0x01020304;
    const data = Uint8Array.from({ length: 11 }, (_, index) => index * 7);
    expect(unmask(unmask(data, key), key)).toEqual(data);
  });
});

describe("opcodeName", () => {
  it("names the six opcodes and marks the others reserved", () => {
    expect([0, 1, 2, 8, 9, 10].map(opcodeName)).toEqual([
      "continuation",
      "text",
      "binary",
      "close",
      "ping",
      "pong",
    ]);
    expect(opcodeName(3)).toBe("reserved-0x3");
    expect(opcodeName(0xb)).toBe("reserved-0xb");
  });
});

describe("encodeFrame headers", () => {
  it.each([
    [0, "82 00"],
    [125, "82 7d"],
    [126, "82 7e 00 7e"],
    [65535, "82 7e ff ff"],
    [65536, "82 7f 00 00 00 00 00 01 00 00"],
  ])("uses the shortest length encoding for %i bytes", (length, header) => {
    const frame = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(length) });
    expect(frame.subarray(0, hex(header).length)).toEqual(hex(header));
    expect(frame.length).toBe(hex(header).length + length);
  });

  it("writes FIN=0 and RSV1, as a compressed first fragment has", () => {
    const frame = encodeFrame({ fin: false, rsv1: true, opcode: Opcode.Text, payload: utf8("a") });
    expect(frame).toEqual(hex("41 01 61"));
  });
});

/** Parses `bytes` and feeds every frame to an assembler, collecting what comes out. */
function assembleAll(bytes: Uint8Array, assembler = new MessageAssembler()) {
  const messages: AssembledMessage[] = [];
  const controls: number[] = [];
  let error: FrameParseError | undefined;
  for (const frame of parseAll(bytes).frames) {
    if (frame.opcode >= Opcode.Close) controls.push(frame.opcode);
    const result = assembler.push(frame);
    if (result.message) messages.push(result.message);
    error ??= result.error;
  }
  return { messages, controls, error, assembler };
}

describe("MessageAssembler", () => {
  it("joins RFC 6455's fragmented Hello", () => {
    const { messages, error } = assembleAll(hex("01 03 48 65 6c 80 02 6c 6f"));
    expect(error).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ opcode: 1, compressed: false, frames: 2, wireLength: 5 });
    expect(text(messages[0]?.payload ?? new Uint8Array())).toBe("Hello");
  });

  it("passes a control frame between fragments through without disturbing the message", () => {
    const stream = hex("02 02 01 02 89 01 70 00 01 03 8a 00 80 01 04 88 02 03 e8");
    const { messages, controls, error } = assembleAll(stream);
    expect(error).toBeUndefined();
    expect(controls).toEqual([9, 10, 8]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ opcode: 2, frames: 3, wireLength: 4 });
    expect([...(messages[0]?.payload ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it("reports a single-frame message on that frame", () => {
    const assembler = new MessageAssembler();
    const [frame] = new FrameParser().push(hex("82 02 0a 0b")).frames;
    const result = assembler.push(frame as ParsedFrame);
    expect(result.message).toMatchObject({ opcode: 2, frames: 1, wireLength: 2 });
    expect(assembler.inProgress).toBe(false);
  });

  it("takes compression from the first frame's RSV1 and counts wire bytes", () => {
    const stream = new Uint8Array([
      ...encodeFrame({ fin: false, rsv1: true, opcode: Opcode.Text, payload: utf8("abc") }),
      ...encodeFrame({ opcode: Opcode.Continuation, payload: utf8("de") }),
    ]);
    const { messages } = assembleAll(stream);
    expect(messages[0]).toMatchObject({ opcode: 1, compressed: true, wireLength: 5 });
  });

  it("keeps messages apart: the next one starts afresh", () => {
    const { messages } = assembleAll(hex("c1 01 61 01 01 62 80 01 63 82 00"));
    expect(
      messages.map((message) => [message.opcode, message.compressed, text(message.payload)]),
    ).toEqual([
      [1, true, "a"],
      [1, false, "bc"],
      [2, false, ""],
    ]);
  });

  it.each([
    ["a continuation with no message in progress", "80 01 61"],
    ["a new text frame inside a fragmented message", "01 01 61 81 01 62"],
    ["a new binary frame inside a fragmented message", "01 01 61 02 01 62"],
  ])("refuses %s with 1002", (_name, bytes) => {
    const { error } = assembleAll(hex(bytes));
    expect(error).toMatchObject({ code: "WS_ERR_INVALID_OPCODE", closeCode: 1002 });
  });

  it("refuses a message above maxMessage with 1009, even when each frame is small", () => {
    const assembler = new MessageAssembler({ maxMessage: 4 });
    const { error } = assembleAll(hex("02 02 01 02 00 02 03 04 80 01 05"), assembler);
    expect(error).toMatchObject({ code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", closeCode: 1009 });
  });

  it("stops after an error and keeps saying why", () => {
    const { messages, error, assembler } = assembleAll(hex("82 01 61 80 01 62 82 01 63"));
    expect(messages).toHaveLength(1);
    expect(error?.closeCode).toBe(1002);
    expect(assembler.error).toBe(error);
    const [frame] = new FrameParser().push(hex("82 01 64")).frames;
    expect(assembler.push(frame as ParsedFrame)).toEqual({});
  });
});
