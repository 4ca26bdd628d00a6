/**
 * Socket.IO 4 at `/socket.io/`, served from our own router rather than `io.attach(server)`.
 * `attach` takes over every `request` and `upgrade` listener of the HTTP server, ends upgrades
 * it does not own after a second (unless `destroyUpgrade: false`), and makes `io.close()`
 * close the whole HTTP server. Here an Engine.IO `Server` is built by hand, Socket.IO is bound
 * to it (`io.bind(engine)`), and the router hands `/socket.io/` requests and upgrades to
 * `handleRequest` / `handleUpgrade`, which check them first.
 *
 * The check applies to EVERY polling request and EVERY upgrade: Engine.IO's `allowRequest`
 * sees only a session's first request, and `cors` never stops a WebSocket (nor a request a
 * browser sends without asking, such as a POST of text/plain).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { Server as EngineServer, type Socket as EngineSocket } from "engine.io";
import { Server as SocketIoServer } from "socket.io";
import { type WebSocket, WebSocketServer } from "ws";
import { CloseCode } from "../../src/protocol/close-codes.ts";
import { formatCount } from "../../src/shared/format-count.ts";
import type { EndpointStats } from "../connection-registry.ts";
import { refuseHandshake } from "../handshake-response.ts";
import { answerPlainText } from "../plain-text-response.ts";
import type { Refusal } from "../request-guard.ts";
import { type NamespaceOptions, registerNamespaces } from "./namespaces.ts";

export const SOCKET_IO_PATH = "/socket.io/";
/** Bytes in one polling body or one WebSocket message (`maxHttpBufferSize`): 1 MiB. */
export const DEFAULT_SOCKET_IO_MAX_BUFFER = 1024 * 1024;
/** Engine.IO connections at once; a new one past it is refused with 503. */
export const DEFAULT_SOCKET_IO_MAX_CONNECTIONS = 1000;
/** How long `close()` waits for clients to answer their close before it cuts them off. */
export const DEFAULT_SOCKET_IO_CLOSE_GRACE_MS = 1000;

export interface SocketIoOptions extends NamespaceOptions {
  /**
   * Whether a request may reach Engine.IO, asked for every polling request and every upgrade;
   * a refused one is answered 403 with a plain-text reason. Default: every request.
   */
  isAllowed?: (request: IncomingMessage) => boolean;
  /**
   * The same check with its own status and reason, e.g. `RequestGuard.handshakeRefusal`
   * (421 for a Host that is not this server's, 403 for a foreign Origin). Asked before
   * `isAllowed`; undefined lets the request go on.
   */
  refusal?: (request: IncomingMessage) => Refusal | undefined;
  /**
   * Asked before a request opens a new Engine.IO connection (a polling handshake, or a
   * WebSocket without a session id), after Socket.IO's own `maxConnections`: a refusal answers
   * it with its status and plain-text reason, e.g. the server's connection limit. Requests of
   * an open session are never refused by it. Default: none.
   */
  admission?: () => Refusal | undefined;
  /**
   * Counters to keep, as `/api/stats` reports them. `open`/`total` count Engine.IO connections:
   * one per client, whatever its transport (long-polling, WebSocket, or polling upgraded to a
   * WebSocket) and however many namespaces it uses. `messagesIn`/`messagesOut` count Engine.IO
   * `message` packets: one per Socket.IO packet, plus one per binary attachment of it; over a
   * WebSocket each is one WebSocket message, over long-polling several may share one HTTP body.
   * Heartbeats and the handshake, upgrade and noop packets are not counted, as the raw
   * endpoints' counts leave out pings and pongs. `bytesIn`/`bytesOut` are those packets' data
   * (UTF-8 bytes of text, or the binary's length), without Engine.IO's framing. Default: none.
   */
  stats?: EndpointStats;
  /** Bytes in one polling body or WebSocket message; default 1 MiB. */
  maxHttpBufferSize?: number;
  /** Engine.IO connections at once; default 1,000. */
  maxConnections?: number;
  /** Engine.IO heartbeat: ping every `pingInterval` ms (default 25,000)… */
  pingInterval?: number;
  /** …and a peer whose pong is `pingTimeout` ms late (default 20,000) is closed. */
  pingTimeout?: number;
  /** How long `close()` waits for clients to close before it cuts them off; default 1,000 ms. */
  closeGraceMs?: number;
  /**
   * Called as Engine.IO's WebSocket server has taken over an upgraded socket (its 101 written,
   * its `data` listener in place), before any frame is read: the frame tap starts reading
   * client→server bytes here (`SocketTap.attachIncoming`).
   */
  onWebSocket?: (socket: Duplex, request: IncomingMessage) => void;
}

export interface SocketIoEndpoint {
  /** An HTTP request under `/socket.io/` (long-polling GET and POST). */
  handleRequest(request: IncomingMessage, response: ServerResponse): void;
  /** An upgrade under `/socket.io/` (the WebSocket transport). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Disconnects every client (WebSockets get a 1001 close, a waiting poll a close packet),
   * stops the `/news` ticks and refuses new requests with 503. The HTTP server is untouched.
   * Resolves once every client is closed, or after `closeGraceMs`, when the rest are cut off.
   */
  close(): Promise<void>;
  /** Engine.IO connections open now (one per client, whatever its namespaces). */
  readonly connectionCount: number;
  /** The Socket.IO server, e.g. for `io.of("/chat").fetchSockets()`. */
  readonly io: SocketIoServer;
}

const SHUTTING_DOWN: Refusal = { status: 503, reason: "The server is shutting down." };

/** Builds Socket.IO with the playground's namespaces; see `SocketIoOptions` for defaults. */
export function createSocketIo(options: SocketIoOptions = {}): SocketIoEndpoint {
  const maxConnections = options.maxConnections ?? DEFAULT_SOCKET_IO_MAX_CONNECTIONS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_SOCKET_IO_CLOSE_GRACE_MS;

  // Every WebSocket Engine.IO opens, through its documented `wsEngine` seam: close() sends
  // them 1001 (Engine.IO's own close sends no status code) and cuts off the ones that hang.
  const webSockets = new Set<WebSocket>();
  class TrackingWebSocketServer extends WebSocketServer {
    override handleUpgrade(
      request: IncomingMessage,
      socket: Duplex,
      head: Buffer,
      callback: (client: WebSocket, request: IncomingMessage) => void,
    ): void {
      super.handleUpgrade(request, socket, head, (client, upgraded) => {
        options.onWebSocket?.(socket, upgraded);
        webSockets.add(client);
        client.once("close", () => webSockets.delete(client));
        callback(client, upgraded);
      });
    }
  }

  // No `path`: it is an attach() option. The router decides which requests come here.
  const engine = new EngineServer({
    wsEngine: TrackingWebSocketServer,
    maxHttpBufferSize: options.maxHttpBufferSize ?? DEFAULT_SOCKET_IO_MAX_BUFFER,
    // Polling bodies stay plain text, so the frame log can show them as they are.
    httpCompression: false,
    perMessageDeflate: false,
    pingInterval: options.pingInterval ?? 25_000,
    pingTimeout: options.pingTimeout ?? 20_000,
    allowEIO3: false,
    cors: undefined,
  });
  const engineSockets = new Set<EngineSocket>();
  engine.on("connection", (socket: EngineSocket) => {
    engineSockets.add(socket);
    socket.once("close", () => engineSockets.delete(socket));
    if (options.stats) countConnection(socket, options.stats);
  });

  // serveClient would only work with attach(): the page brings its own client.
  const io = new SocketIoServer({ path: SOCKET_IO_PATH, serveClient: false });
  io.bind(engine);
  const namespaces = registerNamespaces(io, options);

  let closing: Promise<void> | undefined;

  const refusalOf = (request: IncomingMessage): Refusal | undefined => {
    if (closing) return SHUTTING_DOWN;
    const refused = options.refusal?.(request);
    if (refused) return refused;
    if (options.isAllowed && !options.isAllowed(request)) {
      return {
        status: 403,
        reason: `Origin ${request.headers.origin ?? "(none)"} is not allowed to use Socket.IO on this server.`,
      };
    }
    // A request without a session id opens a new Engine.IO connection.
    if (sessionId(request) !== undefined) return undefined;
    if (engine.clientsCount >= maxConnections) {
      return {
        status: 503,
        reason: `The server is at its limit of ${formatCount(maxConnections)} Socket.IO connections: try again when one has closed.`,
      };
    }
    return options.admission?.();
  };

  return {
    io,
    get connectionCount() {
      return engine.clientsCount;
    },
    handleRequest(request, response) {
      if (closing && request.method === "GET" && sessionId(request) !== undefined) {
        // A poll that comes after close() ended every session gets the close packet a waiting
        // poll got, so every polling client sees the same clean close ("transport close").
        response.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" });
        response.end("1");
        return;
      }
      const refused = refusalOf(request);
      if (refused) {
        answerPlainText(response, refused.status, refused.reason);
        return;
      }
      engine.handleRequest(request, response);
    },
    handleUpgrade(request, socket, head) {
      const refused = refusalOf(request);
      if (refused) {
        refuseHandshake(socket, refused.status, refused.reason);
        return;
      }
      engine.handleUpgrade(request, socket, head);
    },
    close() {
      closing ??= (async () => {
        namespaces.close();
        const closed = Promise.all(
          [...engineSockets].map(
            (socket) => new Promise<void>((resolve) => socket.once("close", () => resolve())),
          ),
        );
        for (const webSocket of webSockets) {
          webSocket.close(CloseCode.GoingAway, SHUTTING_DOWN.reason);
        }
        // Socket.IO's own shutdown: every namespace socket is let go (without a DISCONNECT
        // packet, so clients see "transport close" and reconnect to a server that comes back),
        // then Engine.IO closes each connection. No HTTP server is bound, so none is closed.
        await io.close();
        await withinMs(closed, closeGraceMs);
        for (const webSocket of webSockets) webSocket.terminate();
      })();
      return closing;
    },
  };
}

/** Counts an Engine.IO connection and its `message` packets (see `SocketIoOptions.stats`). */
function countConnection(socket: EngineSocket, stats: EndpointStats): void {
  stats.open += 1;
  stats.total += 1;
  socket.on("message", (data: unknown) => {
    stats.messagesIn += 1;
    stats.bytesIn += dataBytes(data);
  });
  socket.on("packetCreate", (packet: { type: string; data?: unknown }) => {
    if (packet.type !== "message") return;
    stats.messagesOut += 1;
    stats.bytesOut += dataBytes(packet.data);
  });
  socket.once("close", () => {
    stats.open -= 1;
  });
}

function dataBytes(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

function sessionId(request: IncomingMessage): string | undefined {
  return new URL(request.url ?? "/", "http://localhost").searchParams.get("sid") ?? undefined;
}

/** Waits for `promise`, or `ms` at most. */
async function withinMs(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
