import { describe, expect, it } from "vitest";
import type { HandshakeEvent } from "../../protocol/inspector-events.ts";
import { mapConnections } from "./connection-map-model.ts";

const handshake = (
  transport: "h1" | "h2",
  connection: string,
  status: number,
  stream?: number,
): HandshakeEvent => ({
  type: "handshake",
  tap: "t",
  at: 0,
  request: {
    method: transport === "h2" ? "CONNECT" : "GET",
    url: "/echo?tap=x",
    httpVersion: "",
    headers: [],
  },
  response: { status, statusText: "", headers: [] },
  protocol: "",
  extensions: "",
  transport,
  connection,
  ...(stream === undefined ? {} : { stream }),
});

describe("mapConnections", () => {
  it("puts HTTP/2 streams of one connection together, and each HTTP/1.1 WebSocket apart", () => {
    const map = mapConnections([
      { number: 1, readyState: "OPEN", handshake: handshake("h2", "c1", 200, 1) },
      { number: 2, readyState: "OPEN", handshake: handshake("h2", "c1", 200, 3) },
      { number: 3, readyState: "OPEN", handshake: handshake("h1", "c2", 101) },
      { number: 4, readyState: "OPEN", handshake: handshake("h1", "c3", 101) },
    ]);
    expect(map.map((c) => [c.id, c.transport, c.webSockets.map((ws) => ws.stream)])).toEqual([
      ["c1", "h2", [1, 3]],
      ["c2", "h1", [undefined]],
      ["c3", "h1", [undefined]],
    ]);
    expect(map[0]?.webSockets[0]).toEqual({
      card: 1,
      path: "/echo",
      readyState: "OPEN",
      stream: 1,
    });
  });

  it("leaves out refused handshakes and cards without one", () => {
    expect(
      mapConnections([
        { number: 1, readyState: "CLOSED", handshake: handshake("h2", "c1", 403, 1) },
        { number: 2, readyState: "CLOSED", handshake: handshake("h1", "c2", 400) },
        { number: 3, readyState: "CLOSED", handshake: null },
      ]),
    ).toEqual([]);
  });
});
