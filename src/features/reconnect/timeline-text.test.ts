import { describe, expect, it } from "vitest";
import { timelineText } from "./timeline-text.ts";

describe("timelineText for Socket.IO's own reconnection", () => {
  it("labels each Manager event as Socket.IO's", () => {
    expect(timelineText({ kind: "sio-close", at: 0, attempt: 1, reason: "transport close" })).toBe(
      "Socket.IO: attempt 1 closed (transport close). The connection was closed (by the server, or a drop).",
    );
    expect(
      timelineText({ kind: "sio-reconnect-attempt", at: 0, attempt: 2, retry: 1, waitedMs: 1234 }),
    ).toBe("Socket.IO reconnect_attempt 1 after waiting 1.2 s: attempt 2 connecting");
    expect(timelineText({ kind: "sio-reconnect-failed", at: 0, attempt: 9 })).toMatch(
      /^Socket\.IO reconnect_failed/,
    );
  });

  it("leaves an unknown close reason unexplained rather than guessing", () => {
    expect(timelineText({ kind: "sio-close", at: 0, attempt: 3, reason: "something new" })).toBe(
      "Socket.IO: attempt 3 closed (something new).",
    );
  });
});
