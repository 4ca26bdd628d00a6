import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { encodeBinaryFrame, MAX_OPEN_CHANNELS } from "../../src/protocol/mux-envelope.ts";
import { type RunningServer, startServer } from "../index.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { closed, openClient } from "../testing/ws-client.ts";
import { createMuxEndpoint } from "./mux.ts";

type Envelope = Record<string, unknown>;

/**
 * A `ws` client that speaks mux.v1 as a third party would, from the SPEC alone: it queues what
 * arrives so a test can await the next envelope (or binary frame) without racing the socket.
 */
class MuxTestClient {
  readonly #queue: (Envelope | Buffer)[] = [];
  readonly #waiting: ((message: Envelope | Buffer) => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      const message = isBinary ? (data as Buffer) : (JSON.parse(data.toString()) as Envelope);
      const waiter = this.#waiting.shift();
      if (waiter) waiter(message);
      else this.#queue.push(message);
    });
  }

  send(envelope: Envelope | string): void {
    this.ws.send(typeof envelope === "string" ? envelope : JSON.stringify(envelope));
  }

  next(): Promise<Envelope | Buffer> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async nextEnvelope(): Promise<Envelope> {
    const message = await this.next();
    if (Buffer.isBuffer(message))
      throw new Error(`expected an envelope, got ${message.toString("hex")}`);
    return message;
  }

  async nextBinary(): Promise<Buffer> {
    const message = await this.next();
    if (!Buffer.isBuffer(message))
      throw new Error(`expected binary, got ${JSON.stringify(message)}`);
    return message;
  }

  async open(ch: number, service: string, params: Envelope = {}): Promise<void> {
    this.send({ op: "open", ch, service, params });
    expect(await this.nextEnvelope()).toEqual({ op: "opened", ch });
  }

  get pending(): number {
    return this.#queue.length;
  }
}

describe("/mux", () => {
  /** Resolvers waiting for the server to hold this many sessions. */
  const sessionWaits: { sessions: number; resolve(): void }[] = [];
  const mux = createMuxEndpoint({
    onSessionEnd(census) {
      for (const wait of sessionWaits.splice(0)) {
        if (census.sessions === wait.sessions) wait.resolve();
        else sessionWaits.push(wait);
      }
    },
  });
  /** Resolves once the server has ended sessions down to `sessions` (it sees closes late). */
  function untilSessions(sessions: number): Promise<void> {
    if (mux.census.sessions === sessions) return Promise.resolve();
    return new Promise((resolve) => sessionWaits.push({ sessions, resolve }));
  }
  let server: RunningServer;
  let wsUrl: string;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      heartbeatMs: 0,
      staticDir: "/nonexistent",
      endpoints: [mux],
    });
    wsUrl = `${server.url.replace("http", "ws")}/mux`;
  });
  afterEach(async () => {
    await Promise.all(
      clients.splice(0).map((ws) => {
        if (ws.readyState === ws.CLOSED) return Promise.resolve();
        const done = closed(ws);
        ws.close();
        return done;
      }),
    );
  });
  afterAll(() => server.close());

  async function connect(): Promise<MuxTestClient> {
    const ws = await openClient(wsUrl, "mux.v1");
    clients.push(ws);
    return new MuxTestClient(ws);
  }

  describe("the handshake", () => {
    it("negotiates mux.v1", async () => {
      const client = await connect();
      expect(client.ws.protocol).toBe("mux.v1");
    });

    it("is refused with a reason when mux.v1 is not offered", async () => {
      const httpUrl = `${server.url}/mux`;
      const none = await rawHandshake(httpUrl);
      expect(none.status).toBe(400);
      expect(none.body).toContain("mux.v1");
      const other = await rawHandshake(httpUrl, { "Sec-WebSocket-Protocol": "chat.v1" });
      expect(other.status).toBe(400);
      expect(other.body).toContain("mux.v1");
    });
  });

  describe("services", () => {
    it("echo sends data back unchanged on its channel: text, JSON and binary", async () => {
      const client = await connect();
      await client.open(1, "echo");
      client.send({ op: "data", ch: 1, data: "hello" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 1, data: "hello" });
      client.send({ op: "data", ch: 1, data: { a: [1, null, true] } });
      expect(await client.nextEnvelope()).toEqual({
        op: "data",
        ch: 1,
        data: { a: [1, null, true] },
      });
      client.ws.send(Buffer.from("0001cafe", "hex"));
      expect((await client.nextBinary()).toString("hex")).toBe("0001cafe");
    });

    it("keeps channels apart: each echo answers on its own channel", async () => {
      const client = await connect();
      await client.open(7, "echo");
      await client.open(65535, "echo");
      client.send({ op: "data", ch: 65535, data: "high" });
      client.send({ op: "data", ch: 7, data: "low" });
      client.ws.send(encodeBinaryFrame(65535, new Uint8Array([1])));
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 65535, data: "high" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 7, data: "low" });
      expect((await client.nextBinary()).toString("hex")).toBe("ffff01");
    });

    it("clock ticks at its interval with the time, and stops when its channel closes", async () => {
      const client = await connect();
      const before = Date.now();
      await client.open(2, "clock", { interval: 50 });
      const first = await client.nextEnvelope();
      const second = await client.nextEnvelope();
      expect(first).toMatchObject({ op: "data", ch: 2, data: { tick: 1 } });
      expect(second).toMatchObject({ op: "data", ch: 2, data: { tick: 2 } });
      const at = (first.data as { at: number }).at;
      expect(at).toBeGreaterThanOrEqual(before);
      expect((second.data as { at: number }).at - at).toBeGreaterThanOrEqual(40);
      expect(mux.census.timers).toBe(1);
      client.send({ op: "close", ch: 2 });
      // Ticks already on their way may come first; then the close, then nothing more.
      let envelope = await client.nextEnvelope();
      while (envelope.op === "data") envelope = await client.nextEnvelope();
      expect(envelope).toEqual({ op: "closed", ch: 2, reason: "closed by client" });
      expect(mux.census.timers).toBe(0);
    });

    it("counter sends 1..count, then closes its channel", async () => {
      const client = await connect();
      await client.open(3, "counter", { count: 3, interval: 50 });
      const received = [
        await client.nextEnvelope(),
        await client.nextEnvelope(),
        await client.nextEnvelope(),
        await client.nextEnvelope(),
      ];
      expect(received).toEqual([
        { op: "data", ch: 3, data: 1 },
        { op: "data", ch: 3, data: 2 },
        { op: "data", ch: 3, data: 3 },
        { op: "closed", ch: 3, reason: "counted to 3" },
      ]);
      expect(mux.census.timers).toBe(0);
      // The id is free again.
      await client.open(3, "echo");
    });

    it("chat delivers every message to every channel in the room, across connections", async () => {
      const alice = await connect();
      const bob = await connect();
      await alice.open(1, "chat", { room: "workshop" });
      await bob.open(9, "chat", { room: "workshop" });
      await bob.open(10, "chat", { room: "elsewhere" });
      alice.send({ op: "data", ch: 1, data: { from: "alice", text: "hi" } });
      expect(await alice.nextEnvelope()).toEqual({
        op: "data",
        ch: 1,
        data: { from: "alice", text: "hi" },
      });
      expect(await bob.nextEnvelope()).toEqual({
        op: "data",
        ch: 9,
        data: { from: "alice", text: "hi" },
      });
      bob.ws.send(encodeBinaryFrame(9, new Uint8Array([0xab])));
      expect((await alice.nextBinary()).toString("hex")).toBe("0001ab");
      expect((await bob.nextBinary()).toString("hex")).toBe("0009ab");
      // Nothing reached the other room: an echo on bob's connection comes next.
      await bob.open(11, "echo");
      expect(bob.pending).toBe(0);
    });

    it("chat uses the default room lobby", async () => {
      const alice = await connect();
      const bob = await connect();
      await alice.open(1, "chat");
      await bob.open(2, "chat", { room: "lobby" });
      alice.send({ op: "data", ch: 1, data: "in the lobby" });
      expect(await bob.nextEnvelope()).toEqual({ op: "data", ch: 2, data: "in the lobby" });
    });
  });

  describe("errors: answered with an error envelope, the connection and its channels go on", () => {
    it.each([
      ["not JSON", "{", { ch: null, code: "bad-envelope", message: "not JSON" }],
      [
        "an array",
        "[]",
        { ch: null, code: "bad-envelope", message: "an envelope is a JSON object" },
      ],
      ["no op", '{"ch":1}', { ch: 1, code: "bad-envelope", message: "op is missing" }],
      [
        "an unknown op",
        '{"op":"jump","ch":1}',
        { ch: 1, code: "unknown-op", message: 'unknown op "jump" (expected open, data, close)' },
      ],
      [
        "a channel out of range",
        '{"op":"open","ch":65536,"service":"echo"}',
        {
          ch: null,
          code: "bad-channel",
          message: "ch must be an integer from 1 to 65535, not 65536",
        },
      ],
      [
        "channel 0",
        '{"op":"data","ch":0,"data":1}',
        { ch: null, code: "bad-channel", message: "ch must be an integer from 1 to 65535, not 0" },
      ],
      [
        "data without data",
        '{"op":"data","ch":1}',
        { ch: 1, code: "bad-envelope", message: "data is missing" },
      ],
      [
        "an unknown service",
        '{"op":"open","ch":5,"service":"teleport"}',
        {
          ch: 5,
          code: "unknown-service",
          message: 'no service "teleport" (there are echo, clock, chat, counter)',
        },
      ],
      [
        "data on a channel not open",
        '{"op":"data","ch":6,"data":1}',
        { ch: 6, code: "unknown-channel", message: "channel 6 is not open" },
      ],
      [
        "close of a channel not open",
        '{"op":"close","ch":6}',
        { ch: 6, code: "unknown-channel", message: "channel 6 is not open" },
      ],
      [
        "a clock too fast",
        '{"op":"open","ch":5,"service":"clock","params":{"interval":10}}',
        { ch: 5, code: "bad-params", message: "interval must be an integer from 50–60000, not 10" },
      ],
      [
        "a counter without a sensible count",
        '{"op":"open","ch":5,"service":"counter","params":{"count":-1}}',
        { ch: 5, code: "bad-params", message: "count must be an integer from 1–10000, not -1" },
      ],
      [
        "a chat room with no name",
        '{"op":"open","ch":5,"service":"chat","params":{"room":""}}',
        { ch: 5, code: "bad-params", message: "room must be a string of 1–64 characters" },
      ],
      [
        "params echo does not take",
        '{"op":"open","ch":5,"service":"echo","params":{"x":1}}',
        { ch: 5, code: "bad-params", message: 'echo takes no params, not "x"' },
      ],
      [
        "params that are not an object",
        '{"op":"open","ch":5,"service":"echo","params":"fast"}',
        { ch: 5, code: "bad-envelope", message: "params must be a JSON object" },
      ],
    ])("%s", async (_name, text, error) => {
      const client = await connect();
      await client.open(1, "echo");
      client.send(text);
      expect(await client.nextEnvelope()).toEqual({ op: "error", ...error });
      // The connection and its open channel go on.
      client.send({ op: "data", ch: 1, data: "still here" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 1, data: "still here" });
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
    });

    it("binary frames too short, for channel 0 or for a channel not open", async () => {
      const client = await connect();
      await client.open(1, "echo");
      client.ws.send(Buffer.from("01", "hex"));
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: null,
        code: "bad-envelope",
        message: "a binary frame starts with a 2-byte channel id; this one has 1 byte",
      });
      client.ws.send(Buffer.from("0000ff", "hex"));
      expect(await client.nextEnvelope()).toMatchObject({
        op: "error",
        ch: null,
        code: "bad-channel",
      });
      client.ws.send(Buffer.from("0002ff", "hex"));
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: 2,
        code: "unknown-channel",
        message: "channel 2 is not open",
      });
      client.ws.send(Buffer.from("000142", "hex"));
      expect((await client.nextBinary()).toString("hex")).toBe("000142");
    });

    it("a duplicate open leaves the open channel as it was", async () => {
      const client = await connect();
      await client.open(4, "echo");
      client.send({ op: "open", ch: 4, service: "clock" });
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: 4,
        code: "duplicate-open",
        message: "channel 4 is already open",
      });
      client.send({ op: "data", ch: 4, data: "echo still" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 4, data: "echo still" });
    });

    it("data for a service that only sends", async () => {
      const client = await connect();
      await client.open(4, "counter", { count: 10_000, interval: 60_000 });
      client.send({ op: "data", ch: 4, data: 1 });
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: 4,
        code: "no-input",
        message: "channel 4's service only sends; it takes no data",
      });
      client.ws.send(encodeBinaryFrame(4, new Uint8Array([1])));
      expect(await client.nextEnvelope()).toMatchObject({ op: "error", ch: 4, code: "no-input" });
    });

    it("a chat message above 64 KiB", async () => {
      const client = await connect();
      await client.open(1, "chat", { room: "big" });
      client.send({ op: "data", ch: 1, data: "x".repeat(70_000) });
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: 1,
        code: "too-big",
        message: "a chat message is at most 65536 bytes, this one is 70002",
      });
      client.send({ op: "data", ch: 1, data: "small" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 1, data: "small" });
    });

    it(`allows ${MAX_OPEN_CHANNELS} channels open at once, not one more; closing one frees a place`, async () => {
      const client = await connect();
      for (let ch = 1; ch <= MAX_OPEN_CHANNELS; ch += 1) {
        client.send({ op: "open", ch, service: "echo" });
      }
      for (let ch = 1; ch <= MAX_OPEN_CHANNELS; ch += 1) {
        expect(await client.nextEnvelope()).toEqual({ op: "opened", ch });
      }
      client.send({ op: "open", ch: 1000, service: "echo" });
      expect(await client.nextEnvelope()).toEqual({
        op: "error",
        ch: 1000,
        code: "too-many-channels",
        message: "256 channels are open on this connection already: close one first",
      });
      client.send({ op: "data", ch: 256, data: "the last" });
      expect(await client.nextEnvelope()).toEqual({ op: "data", ch: 256, data: "the last" });
      client.send({ op: "close", ch: 17 });
      expect(await client.nextEnvelope()).toEqual({
        op: "closed",
        ch: 17,
        reason: "closed by client",
      });
      await client.open(1000, "echo");
      // The limit is per connection: another one starts empty.
      const other = await connect();
      await other.open(1, "echo");
    });
  });

  describe("cleanup", () => {
    it("a closed socket stops its channels' timers and leaves its rooms", async () => {
      await untilSessions(0);
      const alice = await connect();
      const bob = await connect();
      await alice.open(1, "chat", { room: "cleanup" });
      await alice.open(2, "clock", { interval: 50 });
      await alice.open(3, "counter", { count: 100, interval: 50 });
      await bob.open(1, "chat", { room: "cleanup" });
      expect(mux.census).toEqual({ sessions: 2, channels: 4, timers: 2 });
      expect(mux.rooms.members("cleanup")).toHaveLength(2);

      alice.ws.close();
      await untilSessions(1);
      expect(mux.census).toEqual({ sessions: 1, channels: 1, timers: 0 });
      expect(mux.rooms.members("cleanup")).toHaveLength(1);
      bob.send({ op: "data", ch: 1, data: "anyone?" });
      expect(await bob.nextEnvelope()).toEqual({ op: "data", ch: 1, data: "anyone?" });

      bob.ws.close();
      await untilSessions(0);
      expect(mux.census).toEqual({ sessions: 0, channels: 0, timers: 0 });
      expect(mux.rooms.size).toBe(0);
    });

    it("closing a chat channel leaves its room", async () => {
      const client = await connect();
      await client.open(1, "chat", { room: "leaving" });
      client.send({ op: "close", ch: 1 });
      expect(await client.nextEnvelope()).toEqual({
        op: "closed",
        ch: 1,
        reason: "closed by client",
      });
      expect(mux.rooms.members("leaving")).toHaveLength(0);
    });
  });
});
