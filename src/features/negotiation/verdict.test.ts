import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../protocol/endpoint-catalogue.ts";
import { negotiationVerdict, type VerdictInput } from "./verdict.ts";

const base: VerdictInput = {
  url: "ws://127.0.0.1:8000/echo",
  pageHost: "127.0.0.1:8000",
  offered: ["json"],
  phase: "failed",
  protocol: "",
  endpoints: ENDPOINTS,
};

describe("negotiationVerdict", () => {
  it("names the match", () => {
    const verdict = negotiationVerdict({ ...base, phase: "open", protocol: "json" });
    expect(verdict).toMatchObject({ tone: "ok", title: "Matched 'json'." });
  });

  it("says plain WebSocket when nothing was offered", () => {
    const verdict = negotiationVerdict({ ...base, offered: [], phase: "open" });
    expect(verdict.title).toBe("No subprotocol offered: plain WebSocket.");
  });

  it("blames the browser when the server chose none", () => {
    const verdict = negotiationVerdict({ ...base, offered: ["mqtt"] });
    expect(verdict.title).toBe("The server chose none, so your browser refused the connection.");
    expect(verdict.detail).toContain("'chat.v2', 'chat.v1', 'json'");
  });

  it("blames the server when it refused, with its reason", () => {
    const verdict = negotiationVerdict({
      ...base,
      url: "ws://127.0.0.1:8000/echo?require=1",
      offered: ["mqtt"],
    });
    expect(verdict.title).toBe("The server refused the handshake: HTTP 400.");
    expect(verdict.detail).toContain("No offered subprotocol is accepted here");
  });

  it("explains an unoffered answer", () => {
    const verdict = negotiationVerdict({ ...base, url: `${base.url}?misbehave=unoffered` });
    expect(verdict.title).toContain("'chat.v2', which you did not offer");
  });

  it("stays generic for other servers", () => {
    const verdict = negotiationVerdict({ ...base, url: "wss://example.org/echo" });
    expect(verdict.title).toBe("The connection failed before it opened (close code 1006).");
  });

  it("reports a constructor error", () => {
    const verdict = negotiationVerdict({ ...base, constructError: "Bad protocol 'a b'." });
    expect(verdict.title).toBe("Your browser refused to start the connection.");
  });
});
