import { constants, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MessageInflater } from "./message-inflater.ts";

/** Compresses like a permessage-deflate sender: sync flush, trailing 00 00 ff ff removed. */
function compress(text: string, dictionary?: Buffer): Buffer {
  const out = deflateRawSync(Buffer.from(text), {
    finishFlush: constants.Z_SYNC_FLUSH,
    ...(dictionary ? { dictionary } : {}),
  });
  return out.subarray(0, out.length - 4);
}

describe("MessageInflater", () => {
  it("inflates messages compressed without context takeover", () => {
    const inflater = new MessageInflater(true, 1 << 20);
    for (const text of ["Hello", "Hello again", ""]) {
      const result = inflater.inflate(compress(text));
      expect(result.ok && result.data.toString()).toBe(text);
    }
  });

  it("follows context takeover: a message may refer to earlier ones", () => {
    const first = "the quick brown fox jumps over the lazy dog ".repeat(3);
    const second = "the quick brown fox jumps over the lazy dog, again";
    const inflater = new MessageInflater(false, 1 << 20);
    const one = inflater.inflate(compress(first));
    expect(one.ok && one.data.toString()).toBe(first);
    // A compressor that kept its window compresses `second` against `first`.
    const secondCompressed = compress(second, Buffer.from(first));
    expect(secondCompressed.length).toBeLessThan(compress(second).length);
    const two = inflater.inflate(secondCompressed);
    expect(two.ok && two.data.toString()).toBe(second);
  });

  it("refuses output above the limit, as a value", () => {
    const inflater = new MessageInflater(true, 1000);
    const result = inflater.inflate(compress("a".repeat(5000)));
    expect(result).toEqual({
      ok: false,
      error: "could not inflate: larger than the message limit",
    });
  });

  it("reports garbage and keeps working afterwards", () => {
    const inflater = new MessageInflater(true, 1 << 20);
    expect(inflater.inflate(Buffer.from([0xff, 0xff, 0xff])).ok).toBe(false);
    const result = inflater.inflate(compress("fine"));
    expect(result.ok && result.data.toString()).toBe("fine");
  });
});
