import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  io as connect,
  Manager,
  type ManagerOptions,
  type Socket,
  type SocketOptions,
} from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { rawHandshake } from "../testing/raw-handshake.ts";
import type { SaidMessage, SocketIoInputError, Tick } from "./namespaces.ts";
import { createSocketIo, type SocketIoEndpoint, type SocketIoOptions } from "./socketio-server.ts";

const FOREIGN = "https://evil.example";
const PAGE = "http://page.example";

interface TestServer {
  url: string;
  endpoint: SocketIoEndpoint;
  http: Server;
  stop(): Promise<void>;
}

/** A plain HTTP server whose router sends `/socket.io/` to the endpoint, as the real one will. */
async function startTestServer(options: SocketIoOptions = {}): Promise<TestServer> {
  const endpoint = createSocketIo({
    isAllowed: (req: IncomingMessage) =>
      req.headers.origin === undefined || req.headers.origin === PAGE,
    tickIntervalMs: 20,
    ...options,
  });
  const http = createServer((req, res) => {
    if (req.url?.startsWith("/socket.io/")) endpoint.handleRequest(req, res);
    else {
      res.writeHead(404);
      res.end("not here\n");
    }
  });
  http.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/socket.io/")) endpoint.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    endpoint,
    http,
    async stop() {
      await endpoint.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A plain HTTP request's status and body. */
function get(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body, contentType: res.headers["content-type"] }),
      );
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The arguments of the next `event` on `socket`. */
function next<T extends unknown[] = unknown[]>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** Emits with an acknowledgement and resolves with all of the ack's arguments. */
function emitAck(socket: Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) =>
    socket.emit(event, ...args, (...answer: unknown[]) => resolve(answer)),
  );
}

async function connected(socket: Socket): Promise<Socket> {
  if (!socket.connected) {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
  }
  return socket;
}

type ClientOptions = Partial<ManagerOptions & SocketOptions>;
const TRANSPORTS: [string, ClientOptions][] = [
  ["WebSocket only", { transports: ["websocket"] }],
  ["polling, then upgrade", { transports: ["polling", "websocket"], upgrade: true }],
];

describe.each(TRANSPORTS)("Socket.IO over %s", (_name, transportOptions) => {
  let server: TestServer;
  const clients: Socket[] = [];
  const open = (nsp = "/", extra: ClientOptions = {}) => {
    const socket = connect(`${server.url}${nsp}`, {
      ...transportOptions,
      forceNew: true,
      reconnection: false,
      ...extra,
    });
    clients.push(socket);
    return connected(socket);
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => server.stop());

  it("/ answers message with Received: <data>", async () => {
    const socket = await open();
    const answer = next(socket, "message");
    socket.emit("message", "Hello from the client");
    expect(await answer).toEqual(["Received: Hello from the client"]);
  });

  it("/ acknowledges echo with all its arguments, binary included", async () => {
    const socket = await open();
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const answer = await emitAck(socket, "echo", "text", 42, { nested: [bytes] }, bytes, null);
    expect(answer).toEqual(["text", 42, { nested: [bytes] }, bytes, null]);
    expect(Buffer.isBuffer(answer[3])).toBe(true);
  });

  it("/ answers echo without an acknowledgement with an error event", async () => {
    const socket = await open();
    const error = next<[SocketIoInputError]>(socket, "error");
    socket.emit("echo", "lost");
    expect((await error)[0]).toEqual({
      event: "echo",
      message: "echo answers through its acknowledgement: emit it with one.",
    });
  });

  it("/chat broadcasts said to the room, sender included, and not beyond it", async () => {
    const [alice, bob, carol] = await Promise.all([open("/chat"), open("/chat"), open("/chat")]);
    expect(await emitAck(alice, "nick", "alice")).toEqual([{ ok: true, nick: "alice" }]);
    expect(await emitAck(alice, "join", "lobby")).toEqual([
      { ok: true, room: "lobby", rooms: ["lobby"] },
    ]);
    await emitAck(alice, "join", "side");
    await emitAck(bob, "join", "lobby");
    await emitAck(carol, "join", "side");

    const toAlice = next<[SaidMessage]>(alice, "said");
    const toBob = next<[SaidMessage]>(bob, "said");
    const toCarol = next<[SaidMessage]>(carol, "said");
    expect(await emitAck(alice, "say", "lobby", "hi lobby")).toEqual([{ ok: true, room: "lobby" }]);
    // Alice's second room: carol's first `said` is this one, so she never got the lobby's.
    alice.emit("say", "side", "hi side");

    const lobby = { from: alice.id, nick: "alice", room: "lobby", text: "hi lobby" };
    expect((await toAlice)[0]).toEqual(lobby);
    expect((await toBob)[0]).toEqual(lobby);
    expect((await toCarol)[0]).toEqual({ ...lobby, room: "side", text: "hi side" });
  });

  it("/chat says to the last room joined, and not to a room left", async () => {
    const socket = await open("/chat");
    await emitAck(socket, "join", "a");
    await emitAck(socket, "join", "b");
    const said = next<[SaidMessage]>(socket, "said");
    socket.emit("say", "to b");
    expect((await said)[0]).toMatchObject({ room: "b", text: "to b", nick: null });
    expect(await emitAck(socket, "leave", "b")).toEqual([{ ok: true, room: "b", rooms: ["a"] }]);
    const error = next<[SocketIoInputError]>(socket, "error");
    expect(await emitAck(socket, "say", "b", "again")).toEqual([
      { ok: false, error: 'Not in the room "b": join it first.' },
    ]);
    expect((await error)[0]).toEqual({
      event: "say",
      message: 'Not in the room "b": join it first.',
    });
  });

  it.each([
    ["join", "The room name is longer than 64 characters.", ["x".repeat(65)]],
    ["join", "The room name must be a string.", [42]],
    ["join", "The room name must not be empty.", ["  "]],
    ["join", "The room name must not contain control characters.", ["a\nb"]],
    ["leave", 'Not in the room "nowhere".', ["nowhere"]],
    ["nick", "The nick is longer than 32 characters.", ["n".repeat(33)]],
    ["say", "Join a room before you say something.", ["hello"]],
    ["say", "say takes a text (and a room before it).", [{ text: 1 }]],
    ["say", "The text is longer than 4096 characters.", ["lobby", "t".repeat(4097)]],
    ["shout", "/chat has no event 'shout': it answers join, leave, say, nick.", []],
  ])("/chat answers %s with an error: %s", async (event, message, args) => {
    const socket = await open("/chat");
    const error = next<[SocketIoInputError]>(socket, "error");
    expect(await emitAck(socket, event, ...args)).toEqual([{ ok: false, error: message }]);
    expect((await error)[0]).toEqual({ event, message });
  });

  it("survives a client emitting an event named error", async () => {
    const socket = await open();
    const error = next<[SocketIoInputError]>(socket, "error");
    socket.emit("error", "boom");
    expect((await error)[0]).toMatchObject({ event: "error" });
    expect(await emitAck(socket, "echo", "still here")).toEqual(["still here"]);
  });

  it("/news ticks to every connected socket", async () => {
    const [first, second] = await Promise.all([open("/news"), open("/news")]);
    const [[a], [b]] = await Promise.all([
      next<[Tick]>(first, "tick"),
      next<[Tick]>(second, "tick"),
    ]);
    expect(a).toMatchObject({ n: expect.any(Number), at: expect.any(String) });
    expect(Number.isNaN(Date.parse(a?.at ?? ""))).toBe(false);
    const [later] = await next<[Tick]>(first, "tick");
    expect(later?.n).toBeGreaterThan(a?.n ?? Number.POSITIVE_INFINITY);
    expect(b?.n).toBeGreaterThan(0);
  });

  it("refuses a namespace it does not serve", async () => {
    const socket = connect(`${server.url}/admin`, { ...transportOptions, forceNew: true });
    clients.push(socket);
    const [error] = await next<[Error]>(socket, "connect_error");
    expect(error?.message).toBe("Invalid namespace");
  });

  it("carries /, /chat and /news over one Engine.IO connection", async () => {
    const manager = new Manager(server.url, { ...transportOptions, reconnection: false });
    const sockets = ["/", "/chat", "/news"].map((nsp) => manager.socket(nsp));
    clients.push(...sockets);
    await Promise.all(sockets.map(connected));
    expect(server.endpoint.connectionCount).toBe(1);
    const [main, chat] = sockets as [Socket, Socket];
    expect(await emitAck(main, "echo", "one")).toEqual(["one"]);
    expect(await emitAck(chat, "join", "lobby")).toMatchObject([{ ok: true }]);
  });
});

describe("polling, then upgrade", () => {
  it("upgrades the Engine.IO connection to WebSocket and keeps the namespace sockets", async () => {
    const server = await startTestServer();
    const manager = new Manager(server.url, {
      transports: ["polling", "websocket"],
      reconnection: false,
    });
    // The engine exists from the manager's open; the upgrade needs a WebSocket round trip more.
    const transports = new Promise<string[]>((resolve) =>
      manager.once("open", () => {
        const first = manager.engine.transport.name;
        manager.engine.once("upgrade", (transport: { name: string }) =>
          resolve([first, transport.name]),
        );
      }),
    );
    const socket = manager.socket("/");
    try {
      await connected(socket);
      expect(await transports).toEqual(["polling", "websocket"]);
      expect(await emitAck(socket, "echo", "after the upgrade")).toEqual(["after the upgrade"]);
      expect(server.endpoint.connectionCount).toBe(1);
    } finally {
      socket.disconnect();
      await server.stop();
    }
  });
});

describe("the Origin check, on every polling request and every upgrade", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const handshakePath = "/socket.io/?EIO=4&transport=polling";

  /** Opens an Engine.IO session over polling and answers its sid. */
  async function openSession(): Promise<string> {
    const opened = await get(`${server.url}${handshakePath}`, { headers: { Origin: PAGE } });
    expect(opened.status).toBe(200);
    return JSON.parse(opened.body.slice(1)).sid as string;
  }

  it("lets the page's Origin and a client without one open a session", async () => {
    for (const headers of [{ Origin: PAGE }, {}] as Record<string, string>[]) {
      const opened = await get(`${server.url}${handshakePath}`, { headers });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatch(/^0\{"sid":/);
    }
  });

  it("refuses a foreign Origin's polling handshake with 403 and a reason", async () => {
    const refused = await get(`${server.url}${handshakePath}`, { headers: { Origin: FOREIGN } });
    expect(refused).toEqual({
      status: 403,
      body: `Origin ${FOREIGN} is not allowed to use Socket.IO on this server.\n`,
      contentType: "text/plain; charset=utf-8",
    });
  });

  it("refuses a foreign Origin's POST into an open session", async () => {
    const sid = await openSession();
    const refused = await get(`${server.url}${handshakePath}&sid=${sid}`, {
      method: "POST",
      headers: { Origin: FOREIGN, "Content-Type": "text/plain;charset=UTF-8" },
      body: "40",
    });
    expect(refused.status).toBe(403);
    const accepted = await get(`${server.url}${handshakePath}&sid=${sid}`, {
      method: "POST",
      headers: { Origin: PAGE, "Content-Type": "text/plain;charset=UTF-8" },
      body: "40",
    });
    expect(accepted).toMatchObject({ status: 200, body: "ok" });
  });

  it("refuses a foreign Origin's upgrade, new or of an open session, with 403", async () => {
    const sid = await openSession();
    for (const query of ["EIO=4&transport=websocket", `EIO=4&transport=websocket&sid=${sid}`]) {
      const refused = await rawHandshake(`${server.url}/socket.io/?${query}`, { Origin: FOREIGN });
      expect(refused.status).toBe(403);
      expect(refused.body).toBe(
        `Origin ${FOREIGN} is not allowed to use Socket.IO on this server.\n`,
      );
    }
    const accepted = await rawHandshake(`${server.url}/socket.io/?EIO=4&transport=websocket`, {
      Origin: PAGE,
    });
    expect(accepted.status).toBe(101);
  });

  it("shows a Socket.IO client with a foreign Origin a connect_error", async () => {
    const socket = connect(server.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: { Origin: FOREIGN },
    });
    const [error] = await next<[Error]>(socket, "connect_error");
    socket.disconnect();
    expect(error?.message).toBe("websocket error");
  });

  it("takes a refusal with its own status and reason", async () => {
    const guarded = await startTestServer({
      refusal: (req) =>
        req.headers.host?.startsWith("rebind.")
          ? { status: 421, reason: "Not this host." }
          : undefined,
    });
    try {
      const refused = await get(`${guarded.url}${handshakePath}`, {
        headers: { Host: "rebind.example" },
      });
      expect(refused).toMatchObject({ status: 421, body: "Not this host.\n" });
      const upgrade = await rawHandshake(`${guarded.url}/socket.io/?EIO=4&transport=websocket`, {
        Host: "rebind.example",
      });
      expect(upgrade).toMatchObject({ status: 421, body: "Not this host.\n" });
    } finally {
      await guarded.stop();
    }
  });
});

describe("limits", () => {
  it("refuses a new connection past maxConnections with 503, and not the open one's requests", async () => {
    const server = await startTestServer({ maxConnections: 1 });
    const socket = connect(server.url, {
      transports: ["polling"],
      forceNew: true,
      reconnection: false,
    });
    try {
      await connected(socket);
      const refused = await get(`${server.url}/socket.io/?EIO=4&transport=polling`);
      expect(refused.status).toBe(503);
      expect(refused.body).toContain("limit of 1 Socket.IO connections");
      expect(await emitAck(socket, "echo", "still served")).toEqual(["still served"]);
    } finally {
      socket.disconnect();
      await server.stop();
    }
  });

  it("closes a connection whose message is over maxHttpBufferSize", async () => {
    const server = await startTestServer({ maxHttpBufferSize: 1000 });
    const socket = connect(server.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    try {
      await connected(socket);
      const gone = next<[string]>(socket, "disconnect");
      socket.emit("message", "x".repeat(2000));
      expect((await gone)[0]).toBe("transport close");
      expect(server.endpoint.connectionCount).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it("drops events past maxEventsPerSecond and says so once", async () => {
    const server = await startTestServer({ maxEventsPerSecond: 5 });
    const socket = connect(server.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    try {
      await connected(socket);
      const answers: unknown[] = [];
      socket.on("message", (answer: unknown) => answers.push(answer));
      const error = next<[SocketIoInputError]>(socket, "error");
      for (let index = 0; index < 10; index += 1) socket.emit("message", index);
      expect((await error)[0]?.message).toBe(
        "More than 5 events a second: the rest of this second's are dropped.",
      );
      expect(answers).toEqual([0, 1, 2, 3, 4].map((index) => `Received: ${index}`));
    } finally {
      socket.disconnect();
      await server.stop();
    }
  });
});

describe("close()", () => {
  it("disconnects every client, WebSockets with 1001, and leaves the HTTP server listening", async () => {
    const server = await startTestServer();
    const viaWebSocket = connect(server.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    const viaPolling = connect(`${server.url}/news`, {
      transports: ["polling"],
      forceNew: true,
      reconnection: false,
    });
    // A bare Engine.IO WebSocket, to see the close code the others cannot show.
    const raw = new WebSocket(
      `${server.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`,
    );
    // Its first message is Engine.IO's open packet: the connection is counted by then.
    const rawOpened = new Promise((resolve) => raw.once("message", resolve));
    try {
      await Promise.all([connected(viaWebSocket), connected(viaPolling), rawOpened]);
      expect(server.endpoint.connectionCount).toBe(3);
      const rawClosed = new Promise<number>((resolve) => raw.once("close", resolve));
      const reasons = Promise.all([
        next<[string]>(viaWebSocket, "disconnect"),
        next<[string]>(viaPolling, "disconnect"),
      ]);

      await server.endpoint.close();

      expect(await rawClosed).toBe(1001);
      expect((await reasons).map(([reason]) => reason)).toEqual([
        "transport close",
        "transport close",
      ]);
      expect(server.endpoint.connectionCount).toBe(0);
      expect(server.http.listening).toBe(true);
      expect(await get(`${server.url}/elsewhere`)).toMatchObject({ status: 404 });
      expect(await get(`${server.url}/socket.io/?EIO=4&transport=polling`)).toMatchObject({
        status: 503,
        body: "The server is shutting down.\n",
      });
    } finally {
      viaWebSocket.disconnect();
      viaPolling.disconnect();
      raw.terminate();
      await server.stop();
    }
  });
});
