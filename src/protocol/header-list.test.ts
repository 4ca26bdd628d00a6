import { describe, expect, it } from "vitest";
import { headerValue } from "./header-list.ts";

describe("headerValue", () => {
  it("matches names case-insensitively and joins repeats", () => {
    const headers: [string, string][] = [
      ["Sec-WebSocket-Protocol", "a"],
      ["sec-websocket-protocol", "b"],
      ["Host", "x"],
    ];
    expect(headerValue(headers, "SEC-WEBSOCKET-PROTOCOL")).toBe("a, b");
    expect(headerValue(headers, "Origin")).toBe("");
  });
});
