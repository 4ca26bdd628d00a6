import { connect as netConnect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { encodeFrame, FrameParser, Opcode } from "../../src/protocol/frame-parser.ts";
import type {
  EndEvent,
  FrameEvent,
  HandshakeEvent,
  InspectorEvent,
} from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { inspectUntilEnd, nextMessage, openClient } from "../testing/ws-client.ts";

let server: RunningServer;
let wsBase: string;
let tapCounter = 0;
const newTap = () => `test-tap-${++tapCounter}-${Date.now()}`;

beforeAll(async () => {
  server = await startServer({
    port: 0,
    heartbeatMs: 0,
    staticDir: "/nonexistent",
    tapWaitMs: 300,
  });
  wsBase = server.url.replace("http", "ws");
});
afterAll(() => server.close());

/** Opens an inspector and resolves with its events once the tapped connection has ended. */
function inspect(tap: string): Promise<InspectorEvent[]> {
  return inspectUntilEnd(`${wsBase}/inspect?tap=${tap}`);
}

const frames = (events: InspectorEvent[]) =>
  events.filter((e): e is FrameEvent => e.type === "frame");
const summary = (frame: FrameEvent) =>
  [
    frame.dir,
    frame.opname,
    frame.fin,
    frame.rsv1,
    frame.masked,
    frame.payloadLength,
    frame.messageLength,
    frame.preview,
  ].join(" ");

describe("frame inspector over a ws client", () => {
  it("reports the handshake and every frame both ways, then the end", async () => {
    const tap = newTap();
    const ws = await openClient(`${wsBase}/echo?tap=${tap}`, ["json"]);
    ws.send("Hello");
    await nextMessage(ws);
    ws.send(Buffer.alloc(300, 7));
    await nextMessage(ws);
    ws.ping("are you there");
    await new Promise((resolve) => ws.once("pong", resolve));
    ws.close(4001, "bye now");
    const events = await inspect(tap);

    const handshake = events[0] as HandshakeEvent;
    expect(handshake.type).toBe("handshake");
    expect(handshake.request.method).toBe("GET");
    expect(handshake.request.url).toBe(`/echo?tap=${tap}`);
    expect(handshake.request.headers).toContainEqual(["Sec-WebSocket-Protocol", "json"]);
    expect(handshake.response.status).toBe(101);
    expect(handshake.response.headers.map(([name]) => name.toLowerCase())).toContain(
      "sec-websocket-accept",
    );
    expect(handshake.protocol).toBe("json");
    expect(handshake.extensions).toBe("");

    expect(frames(events).map(summary)).toEqual([
      "in text true false true 5 5 Hello",
      "out text true false false 5 5 Hello",
      `in binary true false true 300 300 ${"07 ".repeat(256).trim()}`,
      `out binary true false false 300 300 ${"07 ".repeat(256).trim()}`,
      "in ping true false true 13  are you there",
      "out pong true false false 13  are you there",
      // A close frame's preview is its whole payload: the code 4001 (0f a1), then the reason.
      "in close true false true 9  0f a1 62 79 65 20 6e 6f 77",
      "out close true false false 9  0f a1 62 79 65 20 6e 6f 77",
    ]);
    const [text, , binary] = frames(events);
    expect(text).toMatchObject({
      headerLength: 6,
      lengthEncoding: "7-bit",
      previewEncoding: "text",
    });
    expect(text?.maskKey).toMatch(/^[0-9a-f]{8}$/);
    expect(binary).toMatchObject({
      headerLength: 8,
      lengthEncoding: "16-bit",
      previewEncoding: "hex",
    });
    expect(frames(events).at(-1)).toMatchObject({
      closeCode: 4001,
      closeReason: "bye now",
      previewEncoding: "hex",
    });
    expect(events.at(-1)).toMatchObject({
      type: "end",
      code: 4001,
      reason: "bye now",
      clean: true,
    });
    expect(frames(events).map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("waits for a tap that appears after the inspector connects", async () => {
    const tap = newTap();
    const collected = inspect(tap);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ws = await openClient(`${wsBase}/ws?tap=${tap}`, ["my-subprotocol"]);
    ws.send("hi");
    expect((await nextMessage(ws)).data.toString()).toBe("Received: hi");
    ws.close();
    const events = await collected;
    expect(frames(events).map((frame) => `${frame.dir} ${frame.preview}`)).toEqual([
      "in hi",
      "out Received: hi",
      "in ",
      "out ",
    ]);
    expect((events.at(-1) as EndEvent).code).toBe(1005);
  });

  it("reports compressed messages with their inflated size, across context takeover", async () => {
    const tap = newTap();
    const ws = await openClient(`${wsBase}/deflate?tap=${tap}`, [], {
      perMessageDeflate: { threshold: 0 },
    });
    const text = "the quick brown fox jumps over the lazy dog. ".repeat(40);
    for (let round = 0; round < 3; round += 1) {
      ws.send(text);
      expect((await nextMessage(ws)).data.toString()).toBe(text);
    }
    ws.close(1000);
    const events = await inspect(tap);
    expect((events[0] as HandshakeEvent).extensions).toMatch(/^permessage-deflate/);
    const data = frames(events).filter((frame) => frame.opname === "text");
    expect(data).toHaveLength(6);
    for (const frame of data) {
      expect(frame).toMatchObject({ rsv1: true, compressed: true, messageLength: text.length });
      expect(frame.preview).toBe(text.slice(0, 256));
      expect(frame.payloadLength).toBeLessThan(text.length / 5);
    }
    // With context takeover, the repeats cost almost nothing.
    expect(data[2]?.payloadLength).toBeLessThan(data[0]?.payloadLength ?? 0);
  });

  it("records a refused handshake with its status and reason", async () => {
    const tap = newTap();
    const result = await rawHandshake(`${server.url}/echo?require=1&tap=${tap}`, {
      "Sec-WebSocket-Protocol": "mqtt",
    });
    expect(result.status).toBe(400);
    const events = await inspect(tap);
    expect(events[0]).toMatchObject({
      type: "handshake",
      response: { status: 400, body: expect.stringContaining("No offered subprotocol") },
    });
    expect(events.at(-1)).toMatchObject({ type: "end", clean: false });
  });
});

/** Opens a WebSocket by hand over TCP: a client that sends exactly the bytes a test writes. */
function rawClient(path: string): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), "127.0.0.1", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
    });
    socket.once("data", (chunk) => {
      if (chunk.toString().startsWith("HTTP/1.1 101")) resolve(socket);
      else reject(new Error(chunk.toString()));
    });
    socket.on("error", reject);
  });
}

/** A third-party client speaking raw bytes: fragmentation with a ping in between. */
describe("frame inspector over raw bytes", () => {
  const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");

  it("reports fragments, an interleaved ping and the reassembled length", async () => {
    const tap = newTap();
    const socket = await rawClient(`/echo?tap=${tap}`);
    // RFC 6455 §5.7: "Hel" + ping + "lo", masked with 37 fa 21 3d; then close 1000.
    socket.write(hex("01 83 37fa213d 7f9f4d"));
    socket.write(hex("89 80 00000000"));
    socket.write(hex("80 82 37fa213d 5b95"));
    socket.write(hex("88 82 00000000 03e8"));
    const events = await inspect(tap);
    const inbound = frames(events).filter((frame) => frame.dir === "in");
    expect(inbound.map(summary)).toEqual([
      "in text false false true 3  Hel",
      "in ping true false true 0  ",
      "in continuation true false true 2 5 lo",
      "in close true false true 2  03 e8",
    ]);
    expect(inbound[0]?.maskKey).toBe("37fa213d");
    expect(
      frames(events).find((frame) => frame.dir === "out" && frame.opname === "text")?.preview,
    ).toBe("Hello");
    socket.destroy();
  });
});

describe("a protocol error on the wire", () => {
  it("is reported as an error frame with a seq of its own, and the close that follows", async () => {
    const tap = newTap();
    const socket = await rawClient(`/echo?tap=${tap}`);
    // A masked "hi", then a frame with the reserved opcode 0x3, in one TCP write: both
    // cross the wire before the server's echo.
    socket.write(Buffer.from("8182000000006869" + "838000000000", "hex"));
    socket.on("error", () => {});
    const events = await inspect(tap);
    const seen = frames(events).map((frame) => [
      frame.seq,
      frame.dir,
      frame.opname,
      frame.closeCode,
    ]);
    expect(seen).toEqual([
      [1, "in", "text", undefined],
      [2, "in", "error", undefined],
      [3, "out", "text", undefined],
      [4, "out", "close", 1002],
    ]);
    expect(frames(events)[1]?.error).toContain("Invalid opcode 0x3 (close 1002)");
    socket.destroy();
  });
});

describe("a 64-bit length with its most significant bit set", () => {
  it("is recorded as the protocol error it is (1002), not as a length", async () => {
    const tap = newTap();
    const socket = await rawClient(`/echo?tap=${tap}`);
    socket.on("error", () => {});
    // Binary, masked, 127: a 64-bit length of 2^63, then a zero masking key.
    socket.write(Buffer.from("82ff" + "8000000000000000" + "00000000", "hex"));
    const events = await inspect(tap);
    const [error, ...rest] = frames(events);
    expect(error).toMatchObject({
      seq: 1,
      dir: "in",
      opname: "error",
      payloadLength: 0,
      error: "64-bit payload length with the most significant bit set (close 1002)",
    });
    // `ws` refuses the frame too, though with the code it gives any length above 2^53 - 1.
    expect(rest.map((frame) => [frame.dir, frame.opname, frame.closeCode])).toEqual([
      ["out", "close", 1009],
    ]);
    expect(events.at(-1)).toMatchObject({ type: "end", code: 1009, clean: false });
    socket.destroy();
  });
});

/**
 * Reads the server's frames on a raw client and, on its close frame, answers with a masked
 * close frame carrying the same code, as RFC 6455 §5.5.1 asks of a peer.
 */
function answerClose(socket: Socket): void {
  const parser = new FrameParser();
  socket.on("data", (chunk: Buffer) => {
    const close = parser.push(chunk).frames.find((frame) => frame.opcode === Opcode.Close);
    if (close?.closeCode === undefined) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(close.closeCode);
    socket.write(encodeFrame({ opcode: Opcode.Close, payload, maskKey: 0x01020304 }));
  });
}

describe("how the connection ended", () => {
  it("is not clean when the server failed it with 1007 for invalid UTF-8, though both closed", async () => {
    const tap = newTap();
    const socket = await rawClient(`/echo?tap=${tap}`);
    socket.on("error", () => {});
    answerClose(socket);
    // A masked text frame whose payload, c3 28, is not UTF-8 (a lead byte, then no continuation).
    socket.write(Buffer.from("8182" + "00000000" + "c328", "hex"));
    const events = await inspect(tap);
    expect(frames(events).map((frame) => [frame.dir, frame.opname, frame.closeCode])).toEqual([
      ["in", "text", undefined],
      ["out", "close", 1007],
      ["in", "close", 1007],
    ]);
    // 1007 is 03 ef on the wire.
    expect(frames(events)[1]?.preview).toBe("03 ef");
    expect(frames(events)[2]?.preview).toBe("03 ef");
    expect(events.at(-1)).toMatchObject({ type: "end", code: 1007, clean: false });
    socket.destroy();
  });

  it("is clean when the client closed with 1000 and the server answered", async () => {
    const tap = newTap();
    const socket = await rawClient(`/echo?tap=${tap}`);
    socket.write(
      encodeFrame({ opcode: Opcode.Close, payload: Buffer.from("03e8", "hex"), maskKey: 0 }),
    );
    const events = await inspect(tap);
    expect(frames(events).map((frame) => [frame.dir, frame.closeCode])).toEqual([
      ["in", 1000],
      ["out", 1000],
    ]);
    expect(events.at(-1)).toMatchObject({ type: "end", code: 1000, reason: "", clean: true });
    socket.destroy();
  });
});

describe("/inspect guards", () => {
  it("refuses a malformed tap id with 400", async () => {
    const result = await rawHandshake(`${server.url}/inspect?tap=no`);
    expect(result.status).toBe(400);
    expect(result.body).toContain("tap=ID");
  });

  it("closes with 4404 when no connection appears in time", async () => {
    const inspector = new WebSocket(`${wsBase}/inspect?tap=${newTap()}`);
    const [code] = await new Promise<[number, string]>((resolve) =>
      inspector.once("close", (closeCode, reason) => resolve([closeCode, reason.toString()])),
    );
    expect(code).toBe(4404);
  });
});

describe("/inspect query", () => {
  it.each([
    ["", "Parameter 'tap' is required"],
    ["tap=abcdefgh&tap=abcdefgh", "Parameter 'tap' is given more than once."],
    ["tap=abcdefgh&batch=maybe", "batch must be 1 or 0 (got 'maybe')."],
    ["tap=abcdefgh&verbose=1", "Unknown parameter 'verbose'"],
  ])("refuses ?%s with 400 and the shared parameter reasons", async (query, reason) => {
    const result = await rawHandshake(`${server.url}/inspect?${query}`);
    expect(result.status).toBe(400);
    expect(result.body).toContain(reason);
  });
});
