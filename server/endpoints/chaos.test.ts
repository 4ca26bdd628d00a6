import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Opcode } from "../../src/protocol/frame-parser.ts";
import type { InspectorEvent } from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { openRawClient } from "../testing/raw-client.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { closed, nextMessage, openClient } from "../testing/ws-client.ts";
import { splitIntoFragments } from "./chaos.ts";

const MAX_PAYLOAD = 64 * 1024;
let server: RunningServer;
let wsBase: string;

beforeAll(async () => {
  server = await startServer({
    port: 0,
    heartbeatMs: 0,
    staticDir: "/nonexistent",
    maxPayload: MAX_PAYLOAD,
  });
  wsBase = server.url.replace("http", "ws");
});
afterAll(() => server.close());

const chaos = (query: string) => `${wsBase}/chaos?${query}`;

/** The echo still answers: a fault on one connection left the server serving others. */
async function expectEchoServes(): Promise<void> {
  const ws = await openClient(`${wsBase}/echo`);
  ws.send("still here");
  expect((await nextMessage(ws)).data).toBe("still here");
  ws.close();
  await closed(ws);
}

describe("splitIntoFragments", () => {
  it("splits as evenly as it can, empty parts when the message is shorter", () => {
    expect(splitIntoFragments(Buffer.from("abcdefghij"), 3).map(String)).toEqual([
      "abc",
      "def",
      "ghij",
    ]);
    expect(splitIntoFragments(Buffer.from("ab"), 4).map(String)).toEqual(["", "a", "", "b"]);
  });
});

describe("/chaos with no fault", () => {
  it("is an echo", async () => {
    const ws = await openClient(chaos(""));
    ws.send("plain");
    expect(await nextMessage(ws)).toEqual({ data: "plain", isBinary: false });
    ws.close();
  });
});

describe("close", () => {
  it("closes cleanly with the code and reason asked, after the time asked", async () => {
    const started = performance.now();
    const ws = new WebSocket(chaos("close=4000&reason=time%20is%20up&after=100"));
    expect(await closed(ws)).toEqual({ code: 4000, reason: "time is up" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it("sends the close frame with exactly that code, once", async () => {
    const client = await openRawClient(server.port, "/chaos?close=3001&reason=bye");
    const [frame] = await client.waitForFrames(1, (f) => f.opcode === Opcode.Close);
    expect(frame).toMatchObject({ closeCode: 3001, closeReason: "bye", fin: true });
    client.socket.destroy();
  });

  it.each([
    ["1005", "1005 (no status received)"],
    ["1006", "Use drop=MS"],
    ["1015", "TLS handshake"],
    ["1004", "1004 is reserved"],
    ["999", "close must be between 1000 and 4999 (got 999)."],
    ["2500", "1016–2999 are reserved"],
    ["5000", "close must be between 1000 and 4999 (got 5000)."],
  ])("refuses close=%s, which may not be sent on the wire, with a reason", async (code, words) => {
    const result = await rawHandshake(`${server.url}/chaos?close=${code}`);
    expect(result.status).toBe(400);
    expect(result.body).toContain(words);
    expect(result.body.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a reason longer than a close frame holds", async () => {
    const result = await rawHandshake(`${server.url}/chaos?close=1000&reason=${"é".repeat(62)}`);
    expect(result.status).toBe(400);
    expect(result.body).toBe("reason must be at most 123 bytes of UTF-8 (got 124).\n");
  });

  it.each([
    ["after=10", "after=MS says when to close: it needs close=CODE.\n"],
    ["reason=x", "reason=TEXT goes with close=CODE"],
    ["fragment=0", "fragment must be between 1 and 1024 (got 0)."],
    ["delay=10001", "delay must be between 1 and 10000 (got 10001)."],
    ["drop=-1", "drop must be between 0 and 60000 (got -1)."],
    ["ping=5", "ping must be between 20 and 60000 (got 5)."],
    ["refuse=302", "refuse must be between 400 and 599 (got 302)."],
    ["oversize=maybe", "oversize must be 1 or 0 (got 'maybe')."],
  ])("refuses %s with a one-line reason", async (query, reason) => {
    const result = await rawHandshake(`${server.url}/chaos?${query}`);
    expect(result.status).toBe(400);
    expect(result.body).toContain(reason);
  });
});

describe("drop", () => {
  it("resets the TCP connection without a close frame: the client sees 1006", async () => {
    const ws = await openClient(chaos("drop=50"));
    expect(await closed(ws)).toEqual({ code: 1006, reason: "" });
    await expectEchoServes();
  });

  it("sends a TCP reset, not a FIN, and no close frame", async () => {
    const client = await openRawClient(server.port, "/chaos?drop=0");
    expect(await client.ended).toEqual({ reset: true });
    expect(client.frames).toEqual([]);
  });
});

describe("delay", () => {
  it("echoes each message late, in order", async () => {
    const ws = await openClient(chaos("delay=150"));
    const received: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on("message", (data) => {
        received.push(data.toString());
        if (received.length === 3) resolve();
      }),
    );
    const sent = performance.now();
    for (const text of ["one", "two", "three"]) ws.send(text);
    await done;
    expect(performance.now() - sent).toBeGreaterThanOrEqual(145);
    expect(received).toEqual(["one", "two", "three"]);
    ws.close();
  });
});

describe("fragment", () => {
  it("echoes each message as N frames: the first typed, then continuations, FIN on the last", async () => {
    const client = await openRawClient(server.port, "/chaos?fragment=4");
    client.send(Opcode.Text, "héllo, fragments");
    client.send(Opcode.Binary, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const frames = await client.waitForFrames(8);
    expect(frames.map((frame) => [frame.opcode, frame.fin])).toEqual([
      [Opcode.Text, false],
      [Opcode.Continuation, false],
      [Opcode.Continuation, false],
      [Opcode.Continuation, true],
      [Opcode.Binary, false],
      [Opcode.Continuation, false],
      [Opcode.Continuation, false],
      [Opcode.Continuation, true],
    ]);
    const text = Buffer.concat(frames.slice(0, 4).map((frame) => frame.payload)).toString();
    expect(text).toBe("héllo, fragments");
    client.socket.destroy();
  });

  it("a ws client reassembles the same message", async () => {
    const ws = await openClient(chaos("fragment=1024"));
    ws.send("short");
    expect(await nextMessage(ws)).toEqual({ data: "short", isBinary: false });
    ws.close();
  });

  it("sends 1,024 fragments of many messages, in order, without mixing them", async () => {
    const client = await openRawClient(server.port, "/chaos?fragment=1024");
    for (let index = 0; index < 4; index += 1) {
      client.send(Opcode.Binary, Buffer.alloc(2048, index));
    }
    const frames = await client.waitForFrames(4 * 1024);
    for (let index = 0; index < 4; index += 1) {
      const message = frames.slice(index * 1024, (index + 1) * 1024);
      expect(message[0]?.opcode).toBe(Opcode.Binary);
      expect(message.slice(1).every((frame) => frame.opcode === Opcode.Continuation)).toBe(true);
      expect(message.map((frame) => frame.fin).filter(Boolean)).toHaveLength(1);
      expect(Buffer.concat(message.map((frame) => frame.payload))).toEqual(
        Buffer.alloc(2048, index),
      );
    }
    client.socket.destroy();
  });
});

describe("ping", () => {
  it("pings every MS with a numbered payload", async () => {
    const client = await openRawClient(server.port, "/chaos?ping=20");
    const pings = await client.waitForFrames(3, (frame) => frame.opcode === Opcode.Ping);
    expect(pings.map((ping) => Buffer.from(ping.payload).toString())).toEqual([
      expect.stringMatching(/^ping 1 at \d+$/),
      expect.stringMatching(/^ping 2 at \d+$/),
      expect.stringMatching(/^ping 3 at \d+$/),
    ]);
    client.socket.destroy();
  });

  it("shows the client's pongs in the frame inspector", async () => {
    const tap = `chaos-ping-${Date.now()}`;
    const inspector = new WebSocket(`${wsBase}/inspect?tap=${tap}`);
    const pongs = new Promise<InspectorEvent>((resolve) =>
      inspector.on("message", (data) => {
        const event = JSON.parse(data.toString()) as InspectorEvent;
        if (event.type === "frame" && event.dir === "in" && event.opname === "pong") {
          resolve(event);
        }
      }),
    );
    const ws = await openClient(chaos(`ping=20&tap=${tap}`));
    expect(await pongs).toMatchObject({ preview: expect.stringMatching(/^ping 1 at /) });
    ws.close();
    inspector.close();
  });
});

describe("oversize", () => {
  it("sends one message a byte above the server's limit: a client with that limit closes 1009", async () => {
    const tap = `chaos-oversize-${Date.now()}`;
    const inspector = new WebSocket(`${wsBase}/inspect?tap=${tap}`);
    const clientClose = new Promise<InspectorEvent>((resolve) =>
      inspector.on("message", (data) => {
        const event = JSON.parse(data.toString()) as InspectorEvent;
        if (event.type === "frame" && event.dir === "in" && event.opname === "close") {
          resolve(event);
        }
      }),
    );
    const ws = new WebSocket(chaos(`oversize=1&tap=${tap}`), { maxPayload: MAX_PAYLOAD });
    const error = await new Promise<Error & { code?: string }>((resolve) =>
      ws.once("error", resolve),
    );
    expect(error.code).toBe("WS_ERR_UNSUPPORTED_MESSAGE_LENGTH");
    expect(await clientClose).toMatchObject({ closeCode: 1009 });
    inspector.close();
  });

  it("a client without a smaller limit (a browser) takes it", async () => {
    const ws = await openClient(chaos("oversize=1"));
    const message = await nextMessage(ws);
    expect(message.isBinary).toBe(true);
    expect((message.data as Buffer).length).toBe(MAX_PAYLOAD + 1);
    // Sent back, it is above this server's limit: the server closes with 1009.
    const result = closed(ws);
    ws.send(message.data);
    expect((await result).code).toBe(1009);
  });
});

describe("handshake faults", () => {
  it("handshake_delay answers the 101 late while others are served", async () => {
    const started = performance.now();
    const slow = openClient(chaos("handshake_delay=200"));
    await expectEchoServes();
    expect(performance.now() - started).toBeLessThan(200);
    const ws = await slow;
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    ws.close();
  });

  it("refuse answers the status and reason asked", async () => {
    const result = await rawHandshake(`${server.url}/chaos?refuse=503&reason=Come%20back%20later`);
    expect(result.status).toBe(503);
    expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(result.body).toBe("Come back later\n");
  });

  it("refuse without a reason says it was asked for", async () => {
    const result = await rawHandshake(`${server.url}/chaos?refuse=418`);
    expect(result.status).toBe(418);
    expect(result.body).toBe("Refused on request: /chaos?refuse=418.\n");
  });

  it("a refusal is recorded for the tap", async () => {
    const tap = `chaos-refuse-${Date.now()}`;
    const result = await rawHandshake(`${server.url}/chaos?refuse=451&tap=${tap}`);
    expect(result.status).toBe(451);
    const inspector = new WebSocket(`${wsBase}/inspect?tap=${tap}`);
    const event = JSON.parse(String((await nextMessage(inspector)).data));
    expect(event).toMatchObject({ type: "handshake", response: { status: 451 } });
    inspector.close();
  });
});

describe("shutdown", () => {
  it("does not wait for a slow handshake: it is refused with 503 at once", async () => {
    const own = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
    const ws = new WebSocket(`${own.url.replace("http", "ws")}/chaos?handshake_delay=10000`);
    const refused = new Promise<Error>((resolve) => ws.once("error", resolve));
    // The handshake is held by beforeAccept once the echo below has been served.
    const probe = await openClient(`${own.url.replace("http", "ws")}/echo`);
    probe.close();
    await closed(probe);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await refused).message).toBe("Unexpected server response: 503");
  });
});
