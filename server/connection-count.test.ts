import { Manager, type Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { EndpointStats } from "./connection-registry.ts";
import { INSPECTOR_RESERVE, type RunningServer, startServer } from "./index.ts";
import { rawHandshake } from "./testing/raw-handshake.ts";
import { closed, openClient } from "./testing/ws-client.ts";

interface Stats {
  connections: number;
  endpoints: Record<string, EndpointStats>;
}

const getJson = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;
const health = (server: RunningServer) =>
  getJson<{ connections: number }>(`${server.url}/api/health`);
const stats = (server: RunningServer) => getJson<Stats>(`${server.url}/api/stats`);

function connected(socket: Socket): Promise<void> {
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

/** A Socket.IO client on `/` and `/chat`, sharing one Engine.IO connection. */
async function socketIoClient(server: RunningServer, transports: ("polling" | "websocket")[]) {
  const manager = new Manager(server.url, { transports, reconnection: false, forceNew: true });
  const root = manager.socket("/");
  const chat = manager.socket("/chat");
  await Promise.all([connected(root), connected(chat)]);
  return { manager, root, chat };
}

async function withServer(
  options: Parameters<typeof startServer>[0],
  run: (server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await startServer({
    port: 0,
    heartbeatMs: 0,
    staticDir: "/nonexistent",
    ...options,
  });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

describe("/api/health and /api/stats count every connection", () => {
  it("counts a Socket.IO client once, whatever its namespaces and transport", () =>
    withServer({}, async (server) => {
      const ws = await socketIoClient(server, ["websocket"]);
      // Long-polling first, then upgraded to a WebSocket: still one Engine.IO connection.
      const upgraded = await socketIoClient(server, ["polling", "websocket"]);
      if (upgraded.manager.engine.transport.name !== "websocket") {
        await new Promise((resolve) => upgraded.manager.engine.once("upgrade", resolve));
      }
      const echo = await openClient(`${server.url.replace("http", "ws")}/echo`);
      try {
        expect((await health(server)).connections).toBe(3);
        const counted = await stats(server);
        expect(counted.connections).toBe(3);
        expect(counted.endpoints["/socket.io/"]).toMatchObject({ open: 2, total: 2 });
      } finally {
        ws.manager.engine.close();
        upgraded.manager.engine.close();
        echo.close();
        await closed(echo);
      }
    }));

  it("counts Socket.IO's messages and bytes as Engine.IO message packets", () =>
    withServer({}, async (server) => {
      const client = await socketIoClient(server, ["websocket"]);
      try {
        // The data of Engine.IO message packets, without their `4`. In: CONNECT `0` and
        // `0/chat,`; out: a CONNECT answer for each (with its sid).
        const afterConnect = (await stats(server)).endpoints["/socket.io/"];
        expect(afterConnect).toMatchObject({ messagesIn: 2, bytesIn: 1 + 7, messagesOut: 2 });
        expect(await emitAck(client.root, "echo", "hi")).toEqual(["hi"]);
        // In: `20["echo","hi"]` (15 bytes); out: its ack `30["hi"]` (8 bytes).
        const afterEcho = (await stats(server)).endpoints["/socket.io/"];
        expect(afterEcho).toMatchObject({
          messagesIn: 3,
          bytesIn: 1 + 7 + 15,
          messagesOut: 3,
          bytesOut: (afterConnect?.bytesOut ?? 0) + 8,
        });
      } finally {
        client.manager.engine.close();
      }
    }));

  it("counts what /inspect sends", () =>
    withServer({}, async (server) => {
      const wsBase = server.url.replace("http", "ws");
      const tap = "count-inspect-out";
      const echo = await openClient(`${wsBase}/echo?tap=${tap}`);
      const echoed = new Promise<void>((resolve) => {
        let count = 0;
        echo.on("message", () => {
          count += 1;
          if (count === 10) resolve();
        });
      });
      for (let n = 0; n < 10; n += 1) echo.send(`message ${n}`);
      await echoed;
      echo.close();
      await closed(echo);

      const inspector = new WebSocket(`${wsBase}/inspect?tap=${tap}`);
      let messages = 0;
      let bytes = 0;
      await new Promise<void>((resolve) => {
        inspector.on("message", (data: Buffer) => {
          messages += 1;
          bytes += data.length;
          if (data.toString().startsWith('{"type":"end"')) resolve();
        });
      });
      // The handshake, 10 frames each way, the close frames, the end.
      expect(messages).toBeGreaterThan(20);
      expect((await stats(server)).endpoints["/inspect"]).toMatchObject({
        open: 1,
        messagesOut: messages,
        bytesOut: bytes,
      });
      inspector.close();
      await closed(inspector);
    }));
});

describe("maxConnections", () => {
  it("refuses Socket.IO clients past it with 503, over polling and WebSocket alike", () =>
    withServer({ maxConnections: 1 }, async (server) => {
      const client = await socketIoClient(server, ["websocket"]);
      const reason =
        "The server is at its limit of 1 open WebSockets and Socket.IO connections: try again when one has closed.\n";
      try {
        const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
        expect(polling.status).toBe(503);
        expect(await polling.text()).toBe(reason);
        for (let n = 0; n < 3; n += 1) {
          const webSocket = await rawHandshake(
            `${server.url}/socket.io/?EIO=4&transport=websocket`,
          );
          expect(webSocket).toMatchObject({ status: 503, body: reason });
        }
        expect(await rawHandshake(`${server.url}/echo`)).toMatchObject({
          status: 503,
          body: reason,
        });
        // The open client's own requests are not new connections.
        expect(await emitAck(client.root, "echo", "still served")).toEqual(["still served"]);
        expect((await health(server)).connections).toBe(1);
      } finally {
        client.manager.engine.close();
      }
    }));

  it(`lets inspectors take ${INSPECTOR_RESERVE} connections more, and no further`, () =>
    withServer({ maxConnections: 1 }, async (server) => {
      const wsBase = server.url.replace("http", "ws");
      const echo = await openClient(`${wsBase}/echo`);
      // Inspectors of taps that have not appeared yet: each waits, holding its connection.
      const inspectors = await Promise.all(
        Array.from({ length: INSPECTOR_RESERVE }, (_, n) =>
          openClient(`${wsBase}/inspect?tap=reserve-test-${n}`),
        ),
      );
      try {
        expect((await health(server)).connections).toBe(1 + INSPECTOR_RESERVE);
        expect(await rawHandshake(`${server.url}/inspect?tap=reserve-test-x`)).toMatchObject({
          status: 503,
          body: `The server is at its limit of ${1 + INSPECTOR_RESERVE} open connections, inspectors included: try again when one has closed.\n`,
        });
        // A closed connection makes room for an inspector…
        echo.close();
        await closed(echo);
        inspectors.push(await openClient(`${wsBase}/inspect?tap=reserve-test-y`));
        // …and inspectors that hold every place left keep new endpoint connections out too.
        expect(await rawHandshake(`${server.url}/echo`)).toMatchObject({ status: 503 });
      } finally {
        for (const ws of [echo, ...inspectors]) ws.close();
        await Promise.all(
          [echo, ...inspectors].filter((ws) => ws.readyState !== ws.CLOSED).map(closed),
        );
      }
    }));
});
