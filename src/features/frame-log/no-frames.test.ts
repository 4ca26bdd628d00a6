import { describe, expect, it } from "vitest";
import { type NoFramesInput, noFramesReason } from "./no-frames.ts";

const base: NoFramesInput = {
  attempted: true,
  tapId: "abcdefghijklmnop",
  readyState: "OPEN",
  constructError: undefined,
  serverRecord: "recorded",
  handshakeStatus: 101,
};

describe("noFramesReason", () => {
  it("says nothing while frames may still come", () => {
    expect(noFramesReason(base)).toBeUndefined();
    expect(noFramesReason({ ...base, attempted: false })).toBeUndefined();
    expect(noFramesReason({ ...base, readyState: "CONNECTING", serverRecord: "waiting" })).toBe(
      undefined,
    );
  });

  it("names the evidence for each empty section", () => {
    expect(noFramesReason({ ...base, constructError: "SyntaxError" })).toMatch(
      /threw before any request/,
    );
    expect(noFramesReason({ ...base, tapId: "" })).toMatch(/only for connections to the companion/);
    expect(noFramesReason({ ...base, handshakeStatus: 404 })).toMatch(/HTTP 404/);
    expect(noFramesReason({ ...base, serverRecord: "absent", handshakeStatus: undefined })).toMatch(
      /no record of this attempt/,
    );
    expect(
      noFramesReason({
        ...base,
        readyState: "CLOSED",
        serverRecord: "waiting",
        handshakeStatus: undefined,
      }),
    ).toMatch(/Waiting for the server's record/);
    expect(
      noFramesReason({
        ...base,
        readyState: "CLOSED",
        serverRecord: "unreadable",
        handshakeStatus: undefined,
      }),
    ).toMatch(/^No frames shown, and the reason is unknown: the page could not ask the server/);
  });

  it("never waits for a record when no request was made", () => {
    expect(
      noFramesReason({
        ...base,
        constructError: "bad URL",
        serverRecord: "waiting",
        readyState: "CLOSED",
      }),
    ).not.toMatch(/Waiting/);
  });
});
