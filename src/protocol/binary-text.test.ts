import { describe, expect, it } from "vitest";
import { formatBase64, formatHex, parseBase64, parseHex, utf8ByteLength } from "./binary-text.ts";

describe("hex", () => {
  it("parses the forms people type", () => {
    for (const text of ["48 65 6c", "48656c", "0x48 0x65 0x6C", "48:65:6c", "48,65,6c\n"]) {
      const parsed = parseHex(text);
      expect(parsed.ok && [...parsed.bytes].slice(0, 2)).toEqual([0x48, 0x65]);
    }
    expect(parseHex("")).toEqual({ ok: true, bytes: new Uint8Array() });
  });

  it("explains what is wrong", () => {
    expect(parseHex("4g")).toEqual({ ok: false, reason: "'g' is not a hex digit (0–9, a–f)." });
    expect(parseHex("486")).toMatchObject({ ok: false });
  });

  it("formats with a limit", () => {
    expect(formatHex(new Uint8Array([0, 15, 255]))).toBe("00 0f ff");
    expect(formatHex(new Uint8Array([1, 2, 3]), 2)).toBe("01 02 …");
  });
});

describe("base64", () => {
  it("round-trips every byte value", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const parsed = parseBase64(formatBase64(bytes));
    expect(parsed.ok && [...parsed.bytes]).toEqual([...bytes]);
  });

  it("accepts missing padding and the URL-safe alphabet", () => {
    const parsed = parseBase64("-_8");
    expect(parsed.ok && [...parsed.bytes]).toEqual([0xfb, 0xff]);
  });

  it("refuses garbage", () => {
    expect(parseBase64("@@@@")).toMatchObject({ ok: false });
    expect(parseBase64("A")).toMatchObject({ ok: false });
  });
});

describe("utf8ByteLength", () => {
  it("agrees with TextEncoder", () => {
    for (const text of ["", "abc", "héllo", "€", "😀 ok", "a\ud800b", "\udc00"]) {
      expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
