import { describe, expect, it } from "vitest";
import { expectedAccept } from "./accept-key.ts";

describe("expectedAccept", () => {
  it("matches RFC 6455 §1.3's example", async () => {
    expect(await expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });
});
