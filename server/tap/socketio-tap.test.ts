import { request } from "node:http";
import { Manager, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { decodeFrameBatch, frameEventFromBatch } from "../../src/protocol/frame-batch.ts";
import type {
  FrameEvent,
  HandshakeEvent,
  HttpEvent,
  InspectorEvent,
} from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { closed, openClient } from "../testing/ws-client.ts";

let server: RunningServer;
let wsBase: string;
let tapCounter = 0;
const newTap = () => `sio-tap-${++tapCounter}-${Date.now()}`;

beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  wsBase = server.url.replace("http", "ws");
});
afterAll(() => server.close());

/** An inspector of `tap`, collecting every event; `until` resolves once one matches. */
function inspect(tap: string, format: "json" | "binary" = "json") {
  const inspector = new WebSocket(`${wsBase}/inspect?tap=${tap}&format=${format}`);
  const events: InspectorEvent[] = [];
  const messages: (string | Buffer)[] = [];
  const waiters: { test: (event: InspectorEvent) => boolean; resolve: () => void }[] = [];
  inspector.on("message", (data, isBinary) => {
    messages.push(isBinary ? (data as Buffer) : data.toString());
    if (isBinary) return;
    const event = JSON.parse(data.toString()) as InspectorEvent;
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.test(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    events,
    messages,
    until(test: (event: InspectorEvent) => boolean): Promise<void> {
      if (events.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    close: () => inspector.close(),
  };
}

const frames = (events: InspectorEvent[]) =>
  events.filter((e): e is FrameEvent => e.type === "frame");
const https = (events: InspectorEvent[]) => events.filter((e): e is HttpEvent => e.type === "http");
/** `in label` / `out label` for every labelled frame, in order. */
const labelled = (events: InspectorEvent[]) =>
  frames(events)
    .filter((frame) => frame.label !== undefined)
    .map((frame) => `${frame.dir} ${frame.label}`);

function connected(socket: Socket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

function emitAck(socket: Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) =>
    socket.emit(event, ...args, (...answer: unknown[]) => resolve(answer)),
  );
}

describe("tapping Socket.IO", () => {
  it("records polling exchanges, the upgrade, its probe and every labelled frame after it", async () => {
    const tap = newTap();
    const inspector = inspect(tap);
    const manager = new Manager(server.url, {
      transports: ["polling", "websocket"],
      upgrade: true,
      reconnection: false,
      forceNew: true,
      query: { tap },
    });
    const root = manager.socket("/");
    const chat = manager.socket("/chat");
    const engine = manager.engine;
    const upgraded = new Promise<void>((resolve) => engine.once("upgrade", () => resolve()));
    await Promise.all([connected(root), connected(chat), upgraded]);
    const sid = engine.id;

    const answer = new Promise((resolve) => root.once("message", resolve));
    root.emit("message", "Hello from the client");
    expect(await answer).toBe("Received: Hello from the client");
    await emitAck(chat, "join", "lobby");
    const said = new Promise((resolve) => chat.once("said", resolve));
    chat.emit("say", "hi lobby");
    await said;
    const bytes = Buffer.from([1, 2, 3, 0xff]);
    expect(await emitAck(root, "echo", "bin", bytes)).toEqual(["bin", bytes]);
    root.disconnect();
    chat.disconnect();
    await inspector.until((event) => event.type === "end");
    inspector.close();
    const { events } = inspector;

    // Polling exchanges come first, each request and its response an event of its own; they
    // go on while the upgrade is probed, until the client sends `5`.
    const handshakeAt = events.findIndex((event) => event.type === "handshake");
    expect(events.slice(0, 2).map((event) => event.type)).toEqual(["http", "http"]);
    const polling = https(events);
    const upgradeAt = events.findIndex((e) => e.type === "frame" && e.label === "upgrade");
    expect(events.slice(upgradeAt).some((event) => event.type === "http")).toBe(false);
    const [firstRequest, firstResponse] = polling;
    expect(firstRequest).toMatchObject({
      type: "http",
      dir: "in",
      method: "GET",
      exchange: 1,
      labels: [],
      bodyLength: 0,
    });
    expect(firstRequest?.url).toContain("transport=polling");
    expect(firstRequest?.url).not.toContain("sid=");
    expect(firstResponse).toMatchObject({ dir: "out", status: 200, exchange: 1, method: "GET" });
    expect(firstResponse?.labels).toEqual([`open · sid ${sid}`]);
    expect(firstResponse?.body).toMatch(/^0\{"sid":/);
    // Later requests carry the session id; the client's CONNECTs went in a POST.
    expect(polling.slice(2).every((event) => event.url.includes(`sid=${sid}`))).toBe(true);
    const posts = polling.filter((event) => event.method === "POST" && event.dir === "in");
    expect(posts.flatMap((event) => event.labels)).toEqual(
      expect.arrayContaining(["message · CONNECT · /", "message · CONNECT · /chat"]),
    );
    // Engine.IO's `ok` to a POST carries no packets: no labels, no error.
    const postAnswers = polling.filter((event) => event.method === "POST" && event.dir === "out");
    expect(postAnswers.every((event) => event.body === "ok" && event.labels.length === 0)).toBe(
      true,
    );
    // Every exchange is answered; requests and responses pair up by exchange number.
    for (const event of polling.filter((e) => e.dir === "out")) {
      expect(polling.some((e) => e.dir === "in" && e.exchange === event.exchange)).toBe(true);
    }

    // The upgrade request and its 101: the handshake event, its URL naming the session.
    const handshake = events[handshakeAt] as HandshakeEvent;
    expect(handshake.request.url).toContain(`sid=${sid}`);
    expect(handshake.request.url).toContain("transport=websocket");
    expect(handshake.response.status).toBe(101);

    // The probe, then the frames after it, labelled by Engine.IO and Socket.IO.
    const labels = labelled(events);
    expect(labels.slice(0, 3)).toEqual(["in ping · probe", "out pong · probe", "in upgrade"]);
    const after = labels.slice(3);
    const inOrder = [
      "in message · EVENT · / · message",
      "out message · EVENT · / · message",
      "in message · EVENT · /chat · join · ack 0",
      "out message · ACK · /chat · ack 0",
      "in message · EVENT · /chat · say",
      "out message · EVENT · /chat · said",
      "in message · BINARY_EVENT · / · echo · ack 0 · waiting for attachment 1 of 1",
      "in message · BINARY_EVENT · / · echo · ack 0 · 1 attachment",
      "out message · BINARY_ACK · / · ack 0 · waiting for attachment 1 of 1",
      "out message · BINARY_ACK · / · ack 0 · 1 attachment",
      "in message · DISCONNECT · /",
      "in message · DISCONNECT · /chat",
    ];
    let from = 0;
    for (const label of inOrder) {
      const at = after.indexOf(label, from);
      expect(at, `${label} after ${after[from - 1]} in ${JSON.stringify(after)}`).toBeGreaterThan(
        -1,
      );
      from = at + 1;
    }
    // Every data frame after the probe carries a label, with its layer.
    const dataFrames = frames(events).filter((f) => f.opcode === 1 || f.opcode === 2);
    expect(dataFrames.every((f) => f.label !== undefined && f.layer === "socket.io")).toBe(true);
    // The raw text is still the preview.
    expect(frames(events).some((f) => f.preview === '42/chat,["say","hi lobby"]')).toBe(true);
    // One end, from the upgraded connection; polling requests end nothing.
    expect(events.filter((event) => event.type === "end")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("end");
  });

  it("labels namespaces over one WebSocket-only connection, in binary format too", async () => {
    const tap = newTap();
    const inspector = inspect(tap, "binary");
    const manager = new Manager(server.url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      query: { tap },
    });
    const root = manager.socket("/");
    const chat = manager.socket("/chat");
    await Promise.all([connected(root), connected(chat)]);
    const sid = manager.engine.id;
    await emitAck(chat, "nick", "ann");
    root.disconnect();
    chat.disconnect();
    await inspector.until((event) => event.type === "end");
    inspector.close();
    const { events, messages } = inspector;

    expect(https(events)).toEqual([]);
    expect(events[0]?.type).toBe("handshake");
    expect((events[0] as HandshakeEvent).request.url).not.toContain("sid=");
    const labels = labelled(events);
    expect(labels[0]).toBe(`out open · sid ${sid}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        "in message · CONNECT · /",
        "in message · CONNECT · /chat",
        "out message · CONNECT · /",
        "out message · CONNECT · /chat",
        "in message · EVENT · /chat · nick · ack 0",
        "out message · ACK · /chat · ack 0",
      ]),
    );
    // Labelled frames came as JSON text; binary batches held only plain (unlabelled) frames.
    const batched = messages
      .filter((message): message is Buffer => typeof message !== "string")
      .flatMap((message) => {
        const decoded = decodeFrameBatch(new Uint8Array(message).buffer);
        if (!decoded.ok) throw new Error(decoded.error);
        return Array.from({ length: decoded.batch.count }, (_, n) =>
          frameEventFromBatch(decoded.batch, n, tap),
        );
      });
    expect(batched.every((frame) => frame.opcode !== 1 && frame.opcode !== 2)).toBe(true);
    expect(frames(events).filter((f) => f.opcode === 1).length).toBe(labels.length);
  });

  it("shows malformed packets as errors, never dropping them", async () => {
    const cases: [string | Buffer, string][] = [
      ["9nine", "⚠ engine.io: '9' is not an Engine.IO packet type (0–6)."],
      ['42["message","unterminated', "⚠ socket.io: The data after EVENT / is not JSON."],
      ["4x", "⚠ socket.io: 'x' is not a Socket.IO packet type (0–6)."],
      [
        Buffer.from([1, 2, 3]),
        "⚠ socket.io: A binary message (3 bytes) that no BINARY_EVENT or BINARY_ACK announced.",
      ],
    ];
    for (const [bad, label] of cases) {
      const tap = newTap();
      const inspector = inspect(tap);
      const ws = await openClient(`${wsBase}/socket.io/?EIO=4&transport=websocket&tap=${tap}`);
      ws.send("40");
      ws.send(bad);
      // Engine.IO or Socket.IO closes the connection on a packet it cannot parse.
      await closed(ws);
      await inspector.until((event) => event.type === "end");
      inspector.close();
      const labels = labelled(inspector.events);
      expect(labels).toContain("in message · CONNECT · /");
      expect(labels).toContain(`in ${label}`);
    }
  });

  it("labels a polling body it cannot read as an error, packet by packet", async () => {
    const tap = newTap();
    const inspector = inspect(tap);
    const open = await httpRequest(`${server.url}/socket.io/?EIO=4&transport=polling&tap=${tap}`);
    const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
    const url = `${server.url}/socket.io/?EIO=4&transport=polling&tap=${tap}&sid=${sid}`;
    await httpRequest(url, "POST", "40\x1e42[broken\x1e2");
    await inspector.until(
      (event) => event.type === "http" && event.method === "POST" && event.dir === "out",
    );
    inspector.close();
    const post = https(inspector.events).find((e) => e.method === "POST" && e.dir === "in");
    expect(post?.body).toBe("40\x1e42[broken\x1e2");
    expect(post?.labels).toEqual([
      "message · CONNECT · /",
      "⚠ socket.io: The data after EVENT / is not JSON.",
      "ping",
    ]);
    expect(inspector.events.some((event) => event.type === "end")).toBe(false);
  });

  it("records a refused polling request with its status and reason, without labels", async () => {
    const tap = newTap();
    const inspector = inspect(tap);
    const refused = await httpRequest(
      `${server.url}/socket.io/?EIO=4&transport=polling&tap=${tap}`,
      "GET",
      undefined,
      { Origin: "https://evil.example" },
    );
    expect(refused.status).toBe(403);
    await inspector.until((event) => event.type === "http" && event.dir === "out");
    inspector.close();
    const [req, res] = https(inspector.events);
    expect(req).toMatchObject({ dir: "in", method: "GET", exchange: 1 });
    expect(res).toMatchObject({ dir: "out", status: 403, exchange: 1, labels: [] });
    expect(res?.body).toContain("not allowed");
  });

  it("leaves raw endpoints unlabelled", async () => {
    const tap = newTap();
    const inspector = inspect(tap);
    const ws = await openClient(`${wsBase}/echo?tap=${tap}`);
    ws.send('42["looks like socket.io"]');
    await new Promise((resolve) => ws.once("message", resolve));
    ws.close();
    await inspector.until((event) => event.type === "end");
    inspector.close();
    expect(frames(inspector.events).length).toBeGreaterThanOrEqual(3);
    expect(frames(inspector.events).every((f) => f.label === undefined)).toBe(true);
  });
});

function httpRequest(
  url: string,
  method = "GET",
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { ...(body ? { "Content-Type": "text/plain" } : {}), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
