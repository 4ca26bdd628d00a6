import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as EngineServer } from "engine.io";
import { Server as SocketIoServer } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeData, type PlaygroundNamespaces, registerNamespaces } from "./namespaces.ts";

describe("describeData: what message answers with after Received:", () => {
  it.each([
    ["hello", "hello"],
    ["", ""],
    [42, "42"],
    [null, "null"],
    [undefined, "undefined"],
    [{ a: [1, "b"] }, '{"a":[1,"b"]}'],
    [Buffer.from([1, 2, 3]), "<3 bytes>"],
    [new Uint8Array(0), "<0 bytes>"],
  ])("%j → %s", (data, text) => {
    expect(describeData(data)).toBe(text);
  });
});

describe("the /news timer", () => {
  let http: HttpServer;
  let io: SocketIoServer;
  let namespaces: PlaygroundNamespaces;
  let url: string;
  const clients: Socket[] = [];

  beforeEach(async () => {
    const engine = new EngineServer();
    io = new SocketIoServer({ serveClient: false }).bind(engine);
    namespaces = registerNamespaces(io, { tickIntervalMs: 10 });
    http = createServer((req, res) => engine.handleRequest(req, res));
    http.on("upgrade", (req, socket, head) => engine.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    namespaces.close();
    await io.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  const openNews = () => {
    const socket = connect(`${url}/news`, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    clients.push(socket);
    return socket;
  };
  /** Resolves when the server has seen its next /news socket leave. */
  const nextServerDisconnect = () =>
    new Promise<void>((resolve) =>
      io.of("/news").once("connection", (socket) => socket.once("disconnect", () => resolve())),
    );

  it("runs only while /news has sockets", async () => {
    expect(namespaces.newsTicking).toBe(false);
    const left = nextServerDisconnect();
    const socket = openNews();
    await new Promise((resolve) => socket.once("tick", resolve));
    expect(namespaces.newsTicking).toBe(true);
    socket.disconnect();
    await left;
    expect(namespaces.newsTicking).toBe(false);
  });

  it("keeps running while one of two sockets is left, and counts on", async () => {
    const left = nextServerDisconnect();
    const first = openNews();
    const [firstTick] = await new Promise<[{ n: number }]>((resolve) =>
      first.once("tick", (...args: [{ n: number }]) => resolve(args)),
    );
    const second = openNews();
    await new Promise<void>((resolve) => second.once("connect", () => resolve()));
    first.disconnect();
    await left;
    expect(namespaces.newsTicking).toBe(true);
    const [later] = await new Promise<[{ n: number }]>((resolve) =>
      second.once("tick", (...args: [{ n: number }]) => resolve(args)),
    );
    expect(later.n).toBeGreaterThan(firstTick.n);
  });

  it("stops for good on close(), even for a socket that connects after", async () => {
    const socket = openNews();
    await new Promise((resolve) => socket.once("tick", resolve));
    namespaces.close();
    expect(namespaces.newsTicking).toBe(false);
    const late = openNews();
    await new Promise<void>((resolve) => late.once("connect", () => resolve()));
    expect(namespaces.newsTicking).toBe(false);
  });
});
