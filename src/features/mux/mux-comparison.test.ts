import { describe, expect, it } from "vitest";
import {
  clampCompareN,
  frameHeaderBytes,
  handshakeBytes,
  headerLinesBytes,
  median,
  muxFraming,
  plainFraming,
  requestHeadBytes,
  responseHeadBytes,
  summarizeWay,
} from "./mux-comparison.ts";

const request = {
  method: "GET",
  url: "/echo?tap=x",
  httpVersion: "1.1",
  headers: [["Host", "a"]] as [string, string][],
};
const response = {
  status: 101,
  statusText: "Switching Protocols",
  headers: [["Upgrade", "websocket"]] as [string, string][],
};

describe("frameHeaderBytes", () => {
  it("is 2 bytes plus the extended length plus the client's 4-byte mask key", () => {
    expect(frameHeaderBytes(0, true)).toBe(6);
    expect(frameHeaderBytes(125, true)).toBe(6);
    expect(frameHeaderBytes(125, false)).toBe(2);
    expect(frameHeaderBytes(126, true)).toBe(8);
    expect(frameHeaderBytes(65_535, false)).toBe(4);
    expect(frameHeaderBytes(65_536, true)).toBe(14);
    expect(frameHeaderBytes(65_536, false)).toBe(10);
  });
});

describe("framing per message", () => {
  it("is the frame header alone on a plain socket", () => {
    expect(plainFraming('"hi"')).toEqual({ out: 6, in: 2 });
    expect(plainFraming("x".repeat(200))).toEqual({ out: 8, in: 4 });
  });

  it("adds the envelope around the payload on a mux channel", () => {
    // {"op":"data","ch":1,"data":"hi"} is 32 bytes around a 4-byte payload: 28 of envelope.
    expect(muxFraming(1, "hi")).toEqual({ out: 28 + 6, in: 28 + 2 });
    // A three-digit channel id costs two more bytes.
    expect(muxFraming(300, "hi")).toEqual({ out: 30 + 6, in: 30 + 2 });
  });

  it("counts the larger frame's header when the envelope crosses 125 bytes", () => {
    const data = "y".repeat(100); // 102 bytes of JSON, 130 with the envelope
    expect(muxFraming(1, data)).toEqual({ out: 28 + 8, in: 28 + 4 });
  });
});

describe("handshake heads", () => {
  it("counts request line, header lines and the empty line", () => {
    expect(requestHeadBytes(request)).toBe(26 + 9 + 2);
    expect(responseHeadBytes(response)).toBe(34 + 20 + 2);
    expect(handshakeBytes({ request, response })).toBe(93);
  });

  it("counts header bytes as UTF-8", () => {
    expect(headerLinesBytes([["X", "é"]])).toBe("X: ".length + 2 + 2);
  });
});

describe("summarizeWay", () => {
  it("sums handshakes, counts TCP connections and takes the median round trip", () => {
    const handshake = { request, response, transport: "h1" as const };
    const result = summarizeWay(
      3,
      [
        { ...handshake, connection: "a" },
        { ...handshake, connection: "b" },
        { ...handshake, connection: "b" },
      ],
      [
        { out: 6, in: 2 },
        { out: 8, in: 4 },
      ],
      [5, 1, 3, 100],
    );
    expect(result).toEqual({
      sockets: 3,
      tcpConnections: 2,
      handshakes: 3,
      handshakeBytes: 279,
      transports: ["h1"],
      framing: { out: 7, in: 3 },
      medianRttMs: 4,
      roundTrips: 4,
    });
  });
});

describe("median and clamp", () => {
  it("takes the middle value", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });

  it("keeps N within 2–16", () => {
    expect(clampCompareN(1)).toBe(2);
    expect(clampCompareN(40)).toBe(16);
    expect(clampCompareN(Number.NaN)).toBe(2);
    expect(clampCompareN(5)).toBe(5);
  });
});
