import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { generatePayload, PayloadKind } from "./payload-generator.ts";

const size = (payload: string | Uint8Array) =>
  typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;

describe("generatePayload", () => {
  it("makes payloads of the size asked, text as text and random bytes as binary", () => {
    expect(size(generatePayload(PayloadKind.RepetitiveText, 1024))).toBe(1024);
    expect(generatePayload(PayloadKind.RandomBytes, 100)).toBeInstanceOf(Uint8Array);
    const json = generatePayload(PayloadKind.JsonRecords, 1024);
    expect(typeof json).toBe("string");
    expect(Array.isArray(JSON.parse(json as string))).toBe(true);
    expect(size(json)).toBeGreaterThanOrEqual(1024);
    expect(size(json)).toBeLessThan(1200);
  });

  it("orders the kinds by how well deflate does on them", () => {
    const ratio = (kind: PayloadKind) => {
      const payload = generatePayload(kind, 10_240);
      return deflateRawSync(payload).length / size(payload);
    };
    expect(ratio(PayloadKind.RepetitiveText)).toBeLessThan(0.05);
    expect(ratio(PayloadKind.JsonRecords)).toBeLessThan(0.5);
    expect(ratio(PayloadKind.RandomBytes)).toBeGreaterThan(1);
  });
});
