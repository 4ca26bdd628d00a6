import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type RunningServer, startServer } from "../../server/index.ts";
import { encodeBinaryFrame } from "../protocol/mux-envelope.ts";
import { createMuxClient, type MuxChannel, type MuxSocketLike } from "./mux-client.ts";

type Listener = (event: { data: unknown }) => void;

/** The client's side of a fake socket pair: the test plays the server. */
class FakeSocket implements MuxSocketLike {
  readyState = 0;
  readonly sent: (string | Uint8Array)[] = [];
  readonly #listeners = {
    open: new Set<Listener>(),
    close: new Set<Listener>(),
    message: new Set<Listener>(),
  };

  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  addEventListener(type: "open" | "close" | "message", listener: Listener): void {
    this.#listeners[type].add(listener);
  }
  removeEventListener(type: "open" | "close" | "message", listener: Listener): void {
    this.#listeners[type].delete(listener);
  }
  open(): void {
    this.readyState = 1;
    for (const listener of this.#listeners.open) listener({ data: undefined });
  }
  drop(): void {
    this.readyState = 3;
    for (const listener of this.#listeners.close) listener({ data: undefined });
  }
  /** The server sends an envelope (an object) or raw text or bytes. */
  receive(message: object | string | Uint8Array): void {
    const data =
      typeof message === "string" || message instanceof Uint8Array
        ? message
        : JSON.stringify(message);
    for (const listener of this.#listeners.message) listener({ data });
  }
  /** What the client sent, text parsed as JSON; then forgets it. */
  take(): unknown[] {
    return this.sent
      .splice(0)
      .map((data) =>
        typeof data === "string" ? JSON.parse(data) : Buffer.from(data).toString("hex"),
      );
  }
  get listenerCount(): number {
    return this.#listeners.open.size + this.#listeners.close.size + this.#listeners.message.size;
  }
}

/** Everything a channel reports, in order. */
function record(channel: MuxChannel): unknown[] {
  const events: unknown[] = [];
  channel.on("opened", () => events.push("opened"));
  channel.on("data", (data) =>
    events.push({ data: data instanceof Uint8Array ? Buffer.from(data).toString("hex") : data }),
  );
  channel.on("closed", (reason) => events.push({ closed: reason }));
  channel.on("error", (error) => events.push({ error: error.code }));
  channel.on("suspended", () => events.push("suspended"));
  return events;
}

function openPair() {
  const socket = new FakeSocket();
  socket.open();
  const client = createMuxClient(socket);
  return { socket, client };
}

describe("createMuxClient over a fake socket", () => {
  it("opens channels with the lowest free ids and routes data to each", () => {
    const { socket, client } = openPair();
    const echo = client.openChannel("echo");
    const clock = client.openChannel("clock", { interval: 50 });
    expect([echo.id, clock.id]).toEqual([1, 2]);
    expect(socket.take()).toEqual([
      { op: "open", ch: 1, service: "echo", params: {} },
      { op: "open", ch: 2, service: "clock", params: { interval: 50 } },
    ]);
    const echoEvents = record(echo);
    const clockEvents = record(clock);
    socket.receive({ op: "opened", ch: 2 });
    socket.receive({ op: "opened", ch: 1 });
    socket.receive({ op: "data", ch: 2, data: { tick: 1 } });
    socket.receive({ op: "data", ch: 1, data: "hi" });
    expect(echoEvents).toEqual(["opened", { data: "hi" }]);
    expect(clockEvents).toEqual(["opened", { data: { tick: 1 } }]);
    expect(echo.state).toBe("open");
  });

  it("sends JSON as data envelopes and bytes as binary frames with the channel id", () => {
    const { socket, client } = openPair();
    client.openChannel("echo");
    const channel = client.openChannel("echo");
    socket.take();
    const events = record(channel);
    expect(channel.send({ text: "hi" })).toBe(true);
    expect(channel.send(new Uint8Array([0xca, 0xfe]))).toBe(true);
    expect(channel.send(new Uint8Array([1]).buffer)).toBe(true);
    expect(socket.take()).toEqual([
      { op: "data", ch: 2, data: { text: "hi" } },
      "0002cafe",
      "000201",
    ]);
    socket.receive(encodeBinaryFrame(2, new Uint8Array([0xbe, 0xef])));
    expect(events).toEqual([{ data: "beef" }]);
  });

  it("reuses an id only after the server said closed", () => {
    const { socket, client } = openPair();
    const first = client.openChannel("echo");
    socket.receive({ op: "opened", ch: 1 });
    const events = record(first);
    first.close();
    expect(first.state).toBe("closing");
    expect(client.openChannel("echo").id).toBe(2);
    socket.receive({ op: "closed", ch: 1, reason: "closed by client" });
    expect(events).toEqual([{ closed: "closed by client" }]);
    expect(first.state).toBe("closed");
    expect(client.openChannel("echo").id).toBe(1);
    expect(socket.take().map((envelope) => (envelope as { op: string }).op)).toEqual([
      "open",
      "close",
      "open",
      "open",
    ]);
  });

  it("ends a channel whose open the server refused, and keeps one that got a lesser error", () => {
    const { socket, client } = openPair();
    const refused = client.openChannel("clock", { interval: 1 });
    const fine = client.openChannel("clock");
    socket.receive({ op: "opened", ch: 2 });
    const refusedEvents = record(refused);
    const fineEvents = record(fine);
    socket.receive({ op: "error", ch: 1, code: "bad-params", message: "interval too small" });
    socket.receive({ op: "error", ch: 2, code: "no-input", message: "clock only sends" });
    expect(refusedEvents).toEqual([{ error: "bad-params" }, { closed: "interval too small" }]);
    expect(fineEvents).toEqual([{ error: "no-input" }]);
    expect(fine.state).toBe("open");
    expect([...client.channels.keys()]).toEqual([2]);
  });

  it("reports what belongs to no channel, and goes on", () => {
    const { socket, client } = openPair();
    const errors: unknown[] = [];
    client.onError((error) => errors.push(error.code));
    const channel = client.openChannel("echo");
    socket.receive({ op: "opened", ch: 1 });
    const events = record(channel);
    socket.receive("not json");
    socket.receive({ op: "error", ch: null, code: "bad-envelope", message: "not JSON" });
    socket.receive({ op: "data", ch: 9, data: 1 });
    socket.receive(new Uint8Array([1]));
    socket.receive({ op: "data", ch: 1, data: "after" });
    expect(errors).toEqual(["bad-envelope", "bad-envelope", "stray", "bad-envelope"]);
    expect(events).toEqual([{ data: "after" }]);
  });

  it("suspends channels when the socket drops and reopens them on a new socket", () => {
    const { socket, client } = openPair();
    const clock = client.openChannel("clock", { interval: 100 });
    const closing = client.openChannel("echo");
    socket.receive({ op: "opened", ch: 1 });
    socket.receive({ op: "opened", ch: 2 });
    closing.close();
    socket.take();
    const events = record(clock);
    const closingEvents = record(closing);
    socket.drop();
    expect(clock.state).toBe("suspended");
    expect(closingEvents).toEqual([{ closed: "connection closed" }]);
    expect(clock.send(1)).toBe(false);

    const next = new FakeSocket();
    client.attach(next);
    expect(socket.listenerCount).toBe(0);
    expect(next.take()).toEqual([]);
    next.open();
    expect(next.take()).toEqual([
      { op: "open", ch: 1, service: "clock", params: { interval: 100 } },
    ]);
    next.receive({ op: "opened", ch: 1 });
    next.receive({ op: "data", ch: 1, data: { tick: 1 } });
    expect(events).toEqual([
      "suspended",
      { error: "not-connected" },
      "opened",
      { data: { tick: 1 } },
    ]);
  });

  it("reopens on the same object when it opens again (an adapter that reconnects)", () => {
    const { socket, client } = openPair();
    client.openChannel("echo");
    socket.receive({ op: "opened", ch: 1 });
    socket.drop();
    socket.take();
    socket.open();
    expect(socket.take()).toEqual([{ op: "open", ch: 1, service: "echo", params: {} }]);
  });

  it("closes channels on a drop when reopen says no", () => {
    const socket = new FakeSocket();
    socket.open();
    const client = createMuxClient(socket, { reopen: () => false });
    const channel = client.openChannel("echo");
    const events = record(channel);
    socket.drop();
    expect(events).toEqual([{ closed: "connection closed" }]);
    expect(client.channels.size).toBe(0);
  });

  it("opens channels asked for before the socket is open once it opens", () => {
    const socket = new FakeSocket();
    const client = createMuxClient(socket);
    const channel = client.openChannel("echo");
    expect(channel.state).toBe("suspended");
    expect(socket.take()).toEqual([]);
    socket.open();
    expect(socket.take()).toEqual([{ op: "open", ch: 1, service: "echo", params: {} }]);
    expect(channel.state).toBe("opening");
  });
});

describe("createMuxClient against the real /mux", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  });
  afterAll(() => server.close());

  it("opens echo and counter channels over one ws socket, and sees a refused open", async () => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/mux`, "mux.v1");
    const client = createMuxClient(ws as unknown as MuxSocketLike);
    const echo = client.openChannel("echo");
    const counter = client.openChannel("counter", { count: 3, interval: 50 });
    const refused = client.openChannel("teleport");
    const echoed = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      echo.on("data", (data) => {
        got.push(data instanceof Uint8Array ? Buffer.from(data).toString("hex") : data);
        if (got.length === 2) resolve(got);
      });
    });
    echo.on("opened", () => {
      echo.send({ hello: "mux" });
      echo.send(new Uint8Array([0xab, 0xcd]));
    });
    const counted = new Promise<{ values: unknown[]; reason: string }>((resolve) => {
      const values: unknown[] = [];
      counter.on("data", (value) => values.push(value));
      counter.on("closed", (reason) => resolve({ values, reason }));
    });
    const refusal = new Promise<string>((resolve) => refused.on("closed", resolve));

    expect(await echoed).toEqual([{ hello: "mux" }, "abcd"]);
    expect(await counted).toEqual({ values: [1, 2, 3], reason: "counted to 3" });
    expect(await refusal).toBe('no service "teleport" (there are echo, clock, chat, counter)');
    const gone = new Promise((resolve) => ws.once("close", resolve));
    ws.close();
    await gone;
  });
});
