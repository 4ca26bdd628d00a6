import { describe, expect, it } from "vitest";
import { encodeFrame, FrameParser, type ParsedFrame, unmask } from "./frame-parser.ts";

const hex = (text: string) =>
  Uint8Array.from(
    (text.replace(/\s/g, "").match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)),
  );
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

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

  it("accepts RSV bits, which extensions use", () => {
    const { frames, error } = parseAll(hex("c1 01 00"));
    expect(error).toBeUndefined();
    expect(frames[0]?.rsv1).toBe(true);
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
