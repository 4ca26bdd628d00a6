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

describe("a close on the timeline", () => {
  it("names the code in a few words (the explainer below says the rest)", () => {
    expect(
      timelineText({ kind: "close", at: 0, attempt: 2, code: 1006, reason: "", wasClean: false }),
    ).toBe("Attempt 2: closed 1006, wasClean false. Abnormal closure.");
    expect(
      timelineText({ kind: "close", at: 0, attempt: 1, code: 4000, reason: "bye", wasClean: true }),
    ).toBe("Attempt 1: closed 4000 “bye”, wasClean true. Private use.");
  });
});
