import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha1 } from "./sha1.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (value: string) => new TextEncoder().encode(value);

describe("sha1", () => {
  // FIPS 180-4's examples and their usual companions (RFC 3174 §7.3).
  it.each([
    ["", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
    ],
    ["The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"],
  ])("%j", (input, digest) => {
    expect(hex(sha1(text(input)))).toBe(digest);
  });

  it("hashes a million a's (many blocks)", () => {
    expect(hex(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
    );
  });

  it("pads right at every length around a block boundary", () => {
    for (let length = 50; length <= 130; length++) {
      const input = new Uint8Array(length).map((_, index) => index * 7);
      expect(hex(sha1(input)), `${length} bytes`).toBe(
        createHash("sha1").update(input).digest("hex"),
      );
    }
  });

  it("agrees with node's crypto on any input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        expect(hex(sha1(input))).toBe(createHash("sha1").update(input).digest("hex"));
      }),
    );
  });
});
