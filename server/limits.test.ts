import { connect as netConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAOS_SPEC } from "../src/protocol/endpoint-catalogue.ts";
import { encodeFrame, Opcode } from "../src/protocol/frame-parser.ts";
import { defineEndpoint } from "./endpoints/endpoint.ts";
import { ENDPOINT_DEFINITIONS, type RunningServer, startServer } from "./index.ts";
import { openRawClient } from "./testing/raw-client.ts";
import { closed, nextMessage, openClient } from "./testing/ws-client.ts";

const HANDSHAKE_TIMEOUT_MS = 300;
const RATE = 100;

/** An endpoint whose handlers throw, to prove one connection's bug stays its own. */
const faultyEndpoint = defineEndpoint({
  spec: { ...CHAOS_SPEC, path: "/faulty", title: "Faulty" },
  onConnection({ ws, params }) {
    if (params.close === 4000) throw new Error("thrown while accepting");
    ws.on("message", (data) => {
      throw new Error(`thrown on message ${data.toString()}`);
    });
  },
});

let server: RunningServer;
let wsBase: string;
const handlerErrors: unknown[] = [];
const consoleError = console.error;

beforeAll(async () => {
  // The server reports a contained handler error on the console; keep it for the assertions.
  console.error = (...args: unknown[]) => handlerErrors.push(args);
  server = await startServer({
    port: 0,
    heartbeatMs: 0,
    staticDir: "/nonexistent",
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    maxMessagesPerSecond: RATE,
    endpoints: [...ENDPOINT_DEFINITIONS, faultyEndpoint],
  });
  wsBase = server.url.replace("http", "ws");
});
afterAll(async () => {
  console.error = consoleError;
  await server.close();
});

async function expectEchoServes(): Promise<void> {
  const ws = await openClient(`${wsBase}/echo`);
  ws.send("still here");
  expect((await nextMessage(ws)).data).toBe("still here");
  ws.close();
  await closed(ws);
}

/** Opens a TCP connection, writes `data`, and resolves with all it got once the server closed it. */
function halfRequest(data: string): Promise<{ answer: string; elapsed: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = netConnect(server.port, "127.0.0.1", () => socket.write(data));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("close", () => resolve({ answer, elapsed: performance.now() - started }));
    socket.on("error", reject);
  });
}

describe("handshake timeout", () => {
  it("answers 408 and closes a connection that never finishes its request head, serving others meanwhile", async () => {
    const stalled = halfRequest("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webs");
    await expectEchoServes();
    const { answer, elapsed } = await stalled;
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toMatch(/The request did not arrive in time\.\n$/);
    expect(elapsed).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 5);
    // Checked every quarter of the timeout: closed well before twice the timeout.
    expect(elapsed).toBeLessThan(HANDSHAKE_TIMEOUT_MS * 2);
    await expectEchoServes();
  });

  it("closes a connection that sends nothing at all", async () => {
    const { elapsed } = await halfRequest("");
    expect(elapsed).toBeLessThan(HANDSHAKE_TIMEOUT_MS * 2);
  });

  it("does not cut a complete handshake that the endpoint answers slowly", async () => {
    const ws = await openClient(`${wsBase}/chaos?handshake_delay=${HANDSHAKE_TIMEOUT_MS * 2}`);
    ws.send("made it");
    expect((await nextMessage(ws)).data).toBe("made it");
    ws.close();
  });
});

describe("message-rate limit", () => {
  it("closes a connection that sends faster than the limit with 1008 and a reason", async () => {
    const ws = await openClient(`${wsBase}/echo`);
    const result = closed(ws);
    for (let index = 0; index < RATE * 3; index += 1) ws.send(`m${index}`);
    expect(await result).toEqual({
      code: 1008,
      reason: "Over 100 messages/s: this server's per-connection limit",
    });
    await expectEchoServes();
  });

  it("lets a burst of a second's worth through", async () => {
    const ws = await openClient(`${wsBase}/echo`);
    let echoed = 0;
    const all = new Promise<void>((resolve) =>
      ws.on("message", () => {
        echoed += 1;
        if (echoed === RATE) resolve();
      }),
    );
    for (let index = 0; index < RATE; index += 1) ws.send(`m${index}`);
    await all;
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it("by default takes the page's largest burst (1,000 messages at once)", async () => {
    const own = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
    try {
      const ws = await openClient(`${own.url.replace("http", "ws")}/echo`);
      let echoed = 0;
      const all = new Promise<void>((resolve) =>
        ws.on("message", () => {
          echoed += 1;
          if (echoed === 1000) resolve();
        }),
      );
      for (let index = 0; index < 1000; index += 1) ws.send(`m${index}`);
      await all;
      expect(ws.readyState).toBe(ws.OPEN);
      ws.close();
      await closed(ws);
    } finally {
      await own.close();
    }
  });
});

describe("limits ws enforces itself", () => {
  it("closes with 1008 past 16,384 fragments in one message", async () => {
    const client = await openRawClient(server.port, "/echo");
    client.send(Opcode.Text, "", false);
    for (let index = 1; index < 16_385; index += 1) client.send(Opcode.Continuation, "", false);
    const [close] = await client.waitForFrames(1, (frame) => frame.opcode === Opcode.Close);
    expect(close?.closeCode).toBe(1008);
    client.socket.destroy();
  });

  it("closes with 1008 and a reason when 60 pongs wait for a peer that does not read", async () => {
    const client = await openRawClient(server.port, "/echo");
    // Stop reading: the pongs fill the socket buffers, and then the registry's count.
    client.socket.pause();
    const ping = Buffer.alloc(125, "p");
    const written = (data: Buffer) =>
      new Promise<void>((done) => client.socket.write(data, () => done()));
    const frame = Buffer.from(encodeFrame({ opcode: Opcode.Ping, payload: ping, maskKey: 1 }));
    // 40,000 pings: 5 MB of pongs, more than loopback's socket buffers hold.
    await written(Buffer.concat(Array.from({ length: 40_000 }, () => frame)));
    client.socket.resume();
    const [close] = await client.waitForFrames(1, (frame) => frame.opcode === Opcode.Close);
    expect(close).toMatchObject({
      closeCode: 1008,
      closeReason: "60 pongs unread: pings come faster than this peer reads",
    });
    client.socket.destroy();
  });
});

describe("an error in one connection", () => {
  it("closes that connection with 1011 when its message handler throws, and the server goes on", async () => {
    const ws = await openClient(`${wsBase}/faulty`);
    const result = closed(ws);
    ws.send("boom");
    expect(await result).toEqual({
      code: 1011,
      reason: "The /faulty endpoint failed on this connection",
    });
    expect(String(handlerErrors.at(-1))).toContain("thrown on message boom");
    await expectEchoServes();
  });

  it("closes with 1011 when the handler throws while accepting", async () => {
    const ws = await openClient(`${wsBase}/faulty?close=4000&after=60000`);
    expect((await closed(ws)).code).toBe(1011);
    await expectEchoServes();
  });
});
