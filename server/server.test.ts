import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type RunningServer, startServer } from "./index.ts";
import { rawHandshake } from "./testing/raw-handshake.ts";
import { closed, nextMessage, openClient } from "./testing/ws-client.ts";

let server: RunningServer;
let wsUrl: string;

beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  wsUrl = server.url.replace("http", "ws");
});
afterAll(() => server.close());

const open = (path: string, protocols?: string | string[], headers?: Record<string, string>) =>
  openClient(`${wsUrl}${path}`, protocols, { headers });

describe("subprotocol negotiation, as the raw handshake shows it", () => {
  it.each([
    ["/echo", "json, chat.v1", "json"],
    ["/echo?prefer=server", "json, chat.v1", "chat.v1"],
    ["/echo?accept=mqtt,json", "chat.v1, json", "json"],
    ["/echo?misbehave=unoffered", "chat.v2", "chat.v1"],
    ["/ws", "my-subprotocol", "my-subprotocol"],
  ])("%s offered %s answers 101 with %s", async (path, offered, expected) => {
    const result = await rawHandshake(`${server.url}${path}`, {
      "Sec-WebSocket-Protocol": offered,
    });
    expect(result.status).toBe(101);
    expect(result.headers["sec-websocket-protocol"]).toBe(expected);
  });

  it("answers with no subprotocol when nothing matches and none is required", async () => {
    const result = await rawHandshake(`${server.url}/echo`, { "Sec-WebSocket-Protocol": "mqtt" });
    expect(result.status).toBe(101);
    expect(result.headers["sec-websocket-protocol"]).toBeUndefined();
  });

  it("names an unoffered subprotocol even when the client offered none", async () => {
    const result = await rawHandshake(`${server.url}/echo?misbehave=unoffered`);
    expect(result.status).toBe(101);
    expect(result.headers["sec-websocket-protocol"]).toBe("chat.v2");
  });

  it.each([
    [
      "/echo?require=1",
      "mqtt",
      "No offered subprotocol is accepted here (offered: mqtt; accepted: chat.v2, chat.v1, json).\n",
    ],
    [
      "/ws",
      "chat",
      "No offered subprotocol is accepted here (offered: chat; accepted: my-subprotocol).\n",
    ],
    ["/echo?prefer=sideways", "json", "prefer must be one of client, server (got 'sideways').\n"],
  ])("%s offered %s is refused with 400 and a reason", async (path, offered, reason) => {
    const result = await rawHandshake(`${server.url}${path}`, {
      "Sec-WebSocket-Protocol": offered,
    });
    expect(result.status).toBe(400);
    expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(result.body).toBe(reason);
  });

  it("refuses /ws without any subprotocol", async () => {
    const result = await rawHandshake(`${server.url}/ws`);
    expect(result.status).toBe(400);
    expect(result.body).toContain("offered none");
  });
});

describe("handshake guards", () => {
  it("refuses a foreign Origin with 403", async () => {
    const result = await rawHandshake(`${server.url}/echo`, { Origin: "https://evil.example" });
    expect(result.status).toBe(403);
    expect(result.body).toContain("https://evil.example is not allowed");
  });

  it("accepts the page's own origin", async () => {
    const result = await rawHandshake(`${server.url}/echo`, { Origin: server.url });
    expect(result.status).toBe(101);
  });

  it("answers 404 for an unknown path", async () => {
    const result = await rawHandshake(`${server.url}/nope`);
    expect(result.status).toBe(404);
  });
});

describe("echo and /ws", () => {
  it("echoes text as text and binary as binary", async () => {
    const ws = await open("/echo");
    ws.send("héllo");
    expect(await nextMessage(ws)).toEqual({ data: "héllo", isBinary: false });
    ws.send(Buffer.from([0, 1, 254, 255]));
    expect(await nextMessage(ws)).toEqual({ data: Buffer.from([0, 1, 254, 255]), isBinary: true });
    ws.close();
  });

  it("answers the chapter's example", async () => {
    const ws = await open("/ws", "my-subprotocol");
    expect(ws.protocol).toBe("my-subprotocol");
    ws.send("Hello Server!");
    expect(await nextMessage(ws)).toEqual({ data: "Received: Hello Server!", isBinary: false });
    ws.close();
  });

  it("closes 1009 above the message limit and keeps serving others", async () => {
    const big = await open("/echo");
    const other = await open("/echo");
    const result = closed(big);
    big.send(Buffer.alloc(1024 * 1024 + 1));
    expect((await result).code).toBe(1009);
    other.send("still here");
    expect((await nextMessage(other)).data).toBe("still here");
    other.close();
  });

  it("counts connections in /api/health and /api/stats", async () => {
    const ws = await open("/echo");
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, connections: expect.any(Number) });
    expect(health.connections).toBeGreaterThanOrEqual(1);
    const stats = await (await fetch(`${server.url}/api/stats`)).json();
    expect(stats.endpoints["/echo"].total).toBeGreaterThanOrEqual(1);
    ws.close();
  });

  it("closes every socket with 1001 on shutdown", async () => {
    const own = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
    const ws = new WebSocket(`${own.url.replace("http", "ws")}/echo`);
    await new Promise((resolve) => ws.once("open", resolve));
    const result = closed(ws);
    await own.close();
    expect((await result).code).toBe(1001);
  });
});

describe("REST", () => {
  it("publishes the endpoint catalogue", async () => {
    const response = await fetch(`${server.url}/api/endpoints`);
    expect(response.status).toBe(200);
    const endpoints = await response.json();
    expect(endpoints.map((endpoint: { path: string }) => endpoint.path)).toEqual([
      "/echo",
      "/deflate",
      "/stream",
      "/ws",
      "/chaos",
      "/mux",
    ]);
    expect(endpoints[0].parameters[0]).toMatchObject({ name: "accept", type: "list" });
  });
});
