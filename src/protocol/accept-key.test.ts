import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectedAccept, WEBSOCKET_GUID } from "./accept-key.ts";

describe("expectedAccept", () => {
  it("matches RFC 6455 §1.3's example", () => {
    expect(expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  it("matches node's own computation for other keys", () => {
    for (const key of ["x3JJHMbDL1EzLkh9GBhXDw==", "AQIDBAUGBwgJCgsMDQ4PEC==", ""]) {
      const expected = createHash("sha1")
        .update(key + WEBSOCKET_GUID)
        .digest("base64");
      expect(expectedAccept(key)).toBe(expected);
    }
  });

  it("needs no crypto.subtle (a page on a LAN address over plain HTTP has none)", () => {
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, "subtle");
    Object.defineProperty(globalThis.crypto, "subtle", { value: undefined, configurable: true });
    try {
      expect(expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, "subtle", subtle);
      else Reflect.deleteProperty(globalThis.crypto, "subtle");
    }
  });
});
