import { connect as netConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { HandshakeEvent, InspectorEvent } from "../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "./index.ts";
import { rawHandshake } from "./testing/raw-handshake.ts";
import { closed, inspectUntilEnd, nextMessage, openClient } from "./testing/ws-client.ts";

let server: RunningServer;
let wsBase: string;
let tapCounter = 0;
const newTap = () => `refusal-${++tapCounter}-${Date.now()}`;

beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  wsBase = server.url.replace("http", "ws");
});
afterAll(() => server.close());

/**
 * Writes `chunks` on a raw TCP connection, one write each, and resolves with everything the
 * server sent until it closed the connection.
 */
function rawExchange(chunks: readonly (string | Buffer)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(server.port, "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => {
      received += data;
    });
    socket.on("connect", async () => {
      for (const chunk of chunks) {
        // One write per event-loop turn, so the server reads them as separate chunks.
        await new Promise<void>((written) => socket.write(chunk, () => setImmediate(written)));
      }
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

const handshakeHead = (target: string, headers: Record<string, string> = {}) =>
  [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${server.port}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ].join("\r\n");

/** The events recorded for `tap`, up to and including its end. */
function inspect(tap: string): Promise<InspectorEvent[]> {
  return inspectUntilEnd(`${wsBase}/inspect?tap=${tap}`);
}

const handshakeOf = (events: InspectorEvent[]) => {
  expect(events.map((event) => event.type)).toEqual(["handshake", "end"]);
  return events[0] as HandshakeEvent;
};

/** The echo still answers: a refusal left the server serving others. */
async function expectEchoServes(): Promise<void> {
  const ws = await openClient(`${wsBase}/echo`);
  ws.send("still here");
  expect((await nextMessage(ws)).data).toBe("still here");
  ws.close();
  await closed(ws);
}

describe("every refused handshake is recorded for its tap", () => {
  it("403 for a foreign Origin", async () => {
    const tap = newTap();
    const answer = await rawExchange([
      handshakeHead(`/echo?tap=${tap}`, { Origin: "https://evil.example" }),
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);

    const handshake = handshakeOf(await inspect(tap));
    expect(handshake.request.url).toBe(`/echo?tap=${tap}`);
    expect(handshake.request.headers).toContainEqual(["Origin", "https://evil.example"]);
    expect(handshake.response.status).toBe(403);
    expect(handshake.response.body).toBe(
      "Origin https://evil.example is not allowed: only this server's own page, clients without an Origin and ALLOWED_ORIGINS may connect.\n",
    );
    await expectEchoServes();
  });

  it("404 for a path with no endpoint", async () => {
    const tap = newTap();
    const answer = await rawExchange([handshakeHead(`/nowhere?tap=${tap}`)]);
    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);

    const handshake = handshakeOf(await inspect(tap));
    expect(handshake.request.url).toBe(`/nowhere?tap=${tap}`);
    expect(handshake.response).toMatchObject({
      status: 404,
      statusText: "Not Found",
      body: "No WebSocket endpoint at /nowhere.\n",
    });
    await expectEchoServes();
  });

  it("431 for a head beyond node's 16 KiB, read in one chunk", async () => {
    const tap = newTap();
    const padding = "x".repeat(17 * 1024);
    const answer = await rawExchange([handshakeHead(`/echo?pad=${padding}&tap=${tap}`)]);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toMatch(
      /\r\n\r\nThe request line and headers exceed the 16,384 bytes this server's HTTP parser accepts\.\n$/,
    );

    const handshake = handshakeOf(await inspect(tap));
    expect(handshake.request.method).toBe("GET");
    expect(handshake.request.url).toBe(`/echo?pad=${padding}&tap=${tap}`);
    expect(handshake.request.headers).toContainEqual(["Upgrade", "websocket"]);
    expect(handshake.response.status).toBe(431);
    expect(handshake.response.statusText).toBe("Request Header Fields Too Large");
    expect(handshake.response.body).toContain("16,384 bytes");
    await expectEchoServes();
  });

  it("431 for a head that arrives in pieces: the request line read first is kept", async () => {
    const tap = newTap();
    const answer = await rawExchange([
      `GET /echo?tap=${tap} HTTP/1.1\r\nHost: 127.0.0.1\r\n`,
      ...Array.from({ length: 20 }, (_, index) => `X-Filler-${index}: ${"y".repeat(1000)}\r\n`),
      "\r\n",
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);

    const handshake = handshakeOf(await inspect(tap));
    expect(handshake.request.url).toBe(`/echo?tap=${tap}`);
    expect(handshake.request.headers[0]).toEqual(["Host", "127.0.0.1"]);
    expect(handshake.request.headers.length).toBeGreaterThan(1);
    expect(handshake.response.status).toBe(431);
  });

  it("400 for bytes that are not HTTP, with a one-line reason", async () => {
    const answer = await rawExchange(["GET /echo HTTP/1.1\r\nBad Header Line\r\n\r\n"]);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\n\r\nThe request is not valid HTTP\/1\.1 \(HPE_[A-Z_]+\)\.\n$/);
  });

  it("a TLS ClientHello on the plain port is counted and dropped unanswered", async () => {
    const before = server.clientErrors.tlsOnPlainPort;
    // The start of a ClientHello record: handshake (0x16), TLS 1.0 record version, length.
    const answer = await rawExchange([Buffer.from("16030100c8010000c40303", "hex")]);
    expect(answer).toBe("");
    expect(server.clientErrors.tlsOnPlainPort).toBe(before + 1);
    await expectEchoServes();
  });
});

describe("503 when the server is at its connection limit", () => {
  it("refuses, records, and accepts again once a socket closed", async () => {
    const limited = await startServer({
      port: 0,
      heartbeatMs: 0,
      staticDir: "/nonexistent",
      maxConnections: 1,
    });
    const base = limited.url.replace("http", "ws");
    try {
      const first = await openClient(`${base}/echo`);
      const tap = newTap();
      const refused = await rawHandshake(`${limited.url}/echo?tap=${tap}`);
      expect(refused.status).toBe(503);

      const inspector = new WebSocket(`${base}/inspect?tap=${tap}`);
      const event = JSON.parse(String((await nextMessage(inspector)).data)) as HandshakeEvent;
      expect(event.response.status).toBe(503);
      expect(event.response.body).toBe(
        "The server is at its limit of 1 open WebSockets and Socket.IO connections: try again when one has closed.\n",
      );
      inspector.close();

      first.close();
      await closed(first);
      const second = await openClient(`${base}/echo`);
      second.close();
      await closed(second);
    } finally {
      await limited.close();
    }
  });
});
