/**
 * The companion server as a library: `startServer()` serves the built app, the REST API and
 * every WebSocket endpoint on one port. The CLI (`server/cli.ts`) and the tests use it alike.
 */
import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
} from "node:http";
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { fileURLToPath } from "node:url";
import type { HandshakeEvent } from "../src/protocol/inspector-events.ts";
import { formatCount } from "../src/shared/format-count.ts";
import { handleApiRequest } from "./api.ts";
import {
  ConnectionRegistry,
  countOut,
  DEFAULT_MAX_MESSAGES_PER_SECOND,
} from "./connection-registry.ts";
import { acceptEndpointHandshake } from "./endpoints/accept.ts";
import { chaosEndpoint } from "./endpoints/chaos.ts";
import { deflateEndpoint } from "./endpoints/deflate.ts";
import { echoEndpoint } from "./endpoints/echo.ts";
import type { EndpointDefinition, HandshakeRefusal } from "./endpoints/endpoint.ts";
import { handleInspectHandshake, TAP_WAIT_MS } from "./endpoints/inspect.ts";
import { muxEndpoint } from "./endpoints/mux.ts";
import { seedWsEndpoint } from "./endpoints/seed-ws.ts";
import { streamEndpoint } from "./endpoints/stream.ts";
import {
  type ClientError,
  clientErrorRefusal,
  refusalResponse,
  refuseHandshake,
} from "./handshake-response.ts";
import { createRequestGuard } from "./request-guard.ts";
import {
  createRouteTable,
  ENGINE_IO_NOT_SERVED,
  ENGINE_IO_PREFIX,
  INSPECT_PATH,
  type Route,
  recordsOwnTap,
} from "./routes.ts";
import { createSocketIo } from "./socketio/socketio-server.ts";
import { createStaticHandler } from "./static-handler.ts";
import {
  parseRequestHead,
  parseResponseHead,
  RequestHeadCapture,
} from "./tap/handshake-capture.ts";
import { tapHttpExchange } from "./tap/http-tap.ts";
import { SocketTap } from "./tap/socket-tap.ts";
import { MAX_INSPECTORS_PER_TAP, type TapRecord } from "./tap/tap-record.ts";
import { TapRegistry } from "./tap/tap-registry.ts";
import { localhostCertificate, type TlsCredentials } from "./tls-certificate.ts";
import {
  ConnectionIds,
  createH1UpgradeHandler,
  type HandshakeRequest,
  singleTapId,
  WebSocketServers,
} from "./transports/h1-upgrade.ts";
import { createH2ConnectHandler } from "./transports/h2-connect.ts";
import { versionRefusal } from "./transports/websocket-version.ts";

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Address to bind. Default 127.0.0.1 (this machine only); `0.0.0.0` for a LAN workshop. */
  host?: string;
  /** Origins besides the page's own that may open WebSockets; `*` allows all. Default none. */
  allowedOrigins?: readonly string[];
  /**
   * Names the Host header may carry besides loopback names, the bound address and (bound to
   * 0.0.0.0 or ::) this machine's addresses: a guard against DNS rebinding. `.example.com`
   * allows a domain and its subdomains, `*` any Host. Default none.
   */
  allowedHosts?: readonly string[];
  /** Folder of the built page. Default `dist/app` beside this package. */
  staticDir?: string;
  /** Interval of the heartbeat pings that find dead peers, in ms; 0 turns them off. Default 30,000. */
  heartbeatMs?: number;
  /** Largest message accepted, in bytes after decompression (close 1009 above). Default 1 MiB. */
  maxPayload?: number;
  /** How long `/inspect` waits for an unknown tap id to appear, in ms. Default 60,000. */
  tapWaitMs?: number;
  /**
   * Connections held at once beyond which a new one is refused with 503 and a one-line reason:
   * WebSockets on the endpoints and Socket.IO clients count together, a Socket.IO client once
   * whatever its transport and namespaces (one Engine.IO connection; for long-polling its
   * handshake request gets the 503). Inspectors (`/inspect`) count too, with INSPECTOR_RESERVE
   * more allowed to them, so that a page at the limit still reads the 503 its next connection
   * got (only an inspector can show it): no new connection of any kind opens while
   * `maxConnections + INSPECTOR_RESERVE` are held in all. Default 10,000.
   */
  maxConnections?: number;
  /**
   * Memory all taps' event logs may hold together, in bytes. A log that would grow past it
   * wraps at the size it has, and inspectors that fall behind are told what they missed.
   * Default 256 MiB (a full tap holds 20,000 events in about 6 MB).
   */
  tapMemoryBytes?: number;
  /**
   * Messages per second one connection may send, averaged over a second (bursts of a
   * second's worth pass); above it the connection is closed with 1008 and a reason. 0 turns
   * the limit off. Default 0: a conformance or throughput test may well send tens of
   * thousands a second on one connection, and per-turn caps already keep one connection
   * from starving the rest; for a workshop, 2,000 is 400 times what a load test's client
   * sends (5/s) and twice the page's largest "send N times" burst (1,000).
   */
  maxMessagesPerSecond?: number;
  /**
   * Time a client has to send a complete request head (the WebSocket handshake, or any HTTP
   * request) after opening its TCP connection, in ms; past it the connection is answered 408
   * and closed, so half-open handshakes cannot pile up. Default 10,000.
   */
  handshakeTimeoutMs?: number;
  /**
   * The raw endpoints served, and published at `/api/endpoints`. Default: the catalogue's
   * (/echo, /deflate, /stream, /ws, /chaos). For tests and for projects that add their own.
   */
  endpoints?: readonly EndpointDefinition[];
  /**
   * Serve over TLS, with HTTP/2 (and RFC 8441's extended CONNECT, so browsers open WebSockets
   * as streams of the page's own connection) and HTTP/1.1 on the same port. `true` uses a
   * self-signed certificate for localhost, 127.0.0.1 and ::1, made on first use and kept in
   * `.cert/` (git-ignored); or give a certificate chain and key (PEM). Default false: plain
   * HTTP/1.1.
   */
  https?: boolean | TlsCredentials;
}

/** Requests the HTTP parser rejected before they reached a handler, by what went wrong. */
export interface ClientErrorCounts {
  /** A TLS ClientHello on this plain-HTTP port (a `wss://` or `https://` URL): dropped unanswered. */
  tlsOnPlainPort: number;
  /** Request line and headers beyond node's limit: answered 431. */
  headersTooLarge: number;
  /** Anything else the parser refused: answered 400 (or 408, 413). */
  otherwise: number;
}

export interface RunningServer {
  /** Base URL of the app, e.g. `http://127.0.0.1:8000` (`https://` with `https`). */
  url: string;
  port: number;
  host: string;
  /** Closes every WebSocket with 1001, stops listening and resolves when done. */
  close(): Promise<void>;
  /** Live counts of the requests that failed in the HTTP parser. */
  readonly clientErrors: Readonly<ClientErrorCounts>;
}

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** Connections above `maxConnections` that only inspectors may take: one tap's full set. */
export const INSPECTOR_RESERVE = MAX_INSPECTORS_PER_TAP;
/** The first byte of a TLS record carrying a handshake message (a ClientHello here). */
const TLS_HANDSHAKE_RECORD = 0x16;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const SHUTDOWN_GRACE_MS = 2000;
const SHUTTING_DOWN: HandshakeRefusal = { status: 503, reason: "The server is shutting down." };

/** Every raw endpoint this server offers, in catalogue order. */
export const ENDPOINT_DEFINITIONS: readonly EndpointDefinition[] = [
  echoEndpoint,
  deflateEndpoint,
  streamEndpoint,
  seedWsEndpoint,
  chaosEndpoint,
  muxEndpoint,
];

/**
 * The built page: dist/app beside this package, whether this module runs from its source
 * (server/index.ts) or from the library build (dist/lib/server/index.js).
 */
export const DEFAULT_STATIC_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromLibrary = here.endsWith(join("dist", "lib", "server"));
  return resolve(here, fromLibrary ? "../../app" : "../dist/app");
})();

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const allowedOrigins = options.allowedOrigins ?? [];
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const registry = new ConnectionRegistry({
    heartbeatMs: options.heartbeatMs ?? 30_000,
    maxMessagesPerSecond: options.maxMessagesPerSecond ?? DEFAULT_MAX_MESSAGES_PER_SECOND,
  });
  const routes = createRouteTable(options.endpoints ?? ENDPOINT_DEFINITIONS);
  const catalogue = routes.definitions.map((definition) => definition.spec);
  const startedAt = Date.now();

  const serveStatic = createStaticHandler(staticDir);
  const guard = createRequestGuard({
    boundHost: host,
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins,
  });
  let closing: Promise<void> | undefined;
  // Raw endpoint WebSockets open; the registry also holds the inspectors.
  let endpointSockets = 0;
  /** Every connection held: raw WebSockets (inspectors included) and Engine.IO connections. */
  const connectionCount = () => registry.size + socketIo.connectionCount;
  /**
   * Whether a new connection may open now (see `ServerOptions.maxConnections`). Inspectors are
   * not counted against an endpoint's or a Socket.IO client's `maxConnections`: the page opens
   * a connection and its inspector at once, and the inspector arriving first must not take
   * the connection's place.
   */
  const admission = (inspector: boolean): HandshakeRefusal | undefined => {
    if (closing) return SHUTTING_DOWN;
    if (!inspector && endpointSockets + socketIo.connectionCount >= maxConnections) {
      return {
        status: 503,
        reason: `The server is at its limit of ${formatCount(maxConnections)} open WebSockets and Socket.IO connections: try again when one has closed.`,
      };
    }
    const limit = maxConnections + INSPECTOR_RESERVE;
    if (connectionCount() >= limit) {
      return {
        status: 503,
        reason: `The server is at its limit of ${formatCount(limit)} open connections, inspectors included: try again when one has closed.`,
      };
    }
    return undefined;
  };

  // Tapped Engine.IO upgrades, until Engine.IO's WebSocket server takes the socket over.
  const socketIoTaps = new WeakMap<Duplex, SocketTap>();
  const socketIo = createSocketIo({
    refusal: guard.handshakeRefusal,
    admission: () => admission(false),
    stats: registry.statsFor(ENGINE_IO_PREFIX),
    maxHttpBufferSize: maxPayload,
    onWebSocket: (socket) => {
      socketIoTaps.get(socket)?.attachIncoming();
      socketIoTaps.delete(socket);
    },
  });

  const handleRequest = (request: IncomingMessage, response: ServerResponse) => {
    if (guard.answerRefusedHttp(request, response)) return;
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/api/endpoints" && request.method === "GET") {
      sendCatalogue(response, catalogue);
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      handleApiRequest(request, response, url, { registry, connectionCount, startedAt, taps });
      return;
    }
    const route = routes.match(url.pathname);
    if (route.kind === "endpoint" || route.kind === "inspect") {
      // HTTP/2 forbids connection-specific headers such as Upgrade (RFC 9113 §8.2.2).
      response.writeHead(426, {
        "Content-Type": "text/plain; charset=utf-8",
        ...(request.httpVersionMajor === 2 ? {} : { Upgrade: "websocket" }),
      });
      response.end(`${url.pathname} is a WebSocket endpoint: open it with a WebSocket client.\n`);
      return;
    }
    if (route.kind === "engine.io") {
      // `query: { tap }` reaches every polling request: each is recorded as its own exchange.
      const tapId = singleTapId(url.searchParams);
      if (tapId) {
        const connection = connectionIds.of(tcpConnectionOf(request));
        tapHttpExchange(request, response, taps.open(tapId), connection, maxPayload);
      }
      socketIo.handleRequest(request, response);
      return;
    }
    serveStatic(request, response);
  };

  const timeouts = {
    // A request head must be complete this soon after the connection opened (408 after);
    // checked a few times per period so the limit holds to within a quarter of it.
    headersTimeout: handshakeTimeoutMs,
    requestTimeout: handshakeTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(30_000, handshakeTimeoutMs / 4)),
  };
  const tls = options.https === true ? await localhostCertificate() : options.https || undefined;
  const h2Server = tls ? createTlsServer(tls, handleRequest, timeouts) : undefined;
  // Over TLS, HTTP/1.1 connections (allowHTTP1) are served by node's HTTP/1.1 code, which emits
  // http.Server's events (request, upgrade, clientError) on the HTTP/2 server: one set of
  // listeners serves both.
  const httpServer: Server = h2Server
    ? (h2Server as unknown as Server)
    : createServer(timeouts, handleRequest);

  const taps = new TapRegistry(options.tapMemoryBytes);
  // Finished taps are forgotten after a while even when no new tap comes to trigger it.
  const sweeper = setInterval(() => taps.sweep(), TAP_SWEEP_INTERVAL_MS);
  sweeper.unref();
  const connectionIds = new ConnectionIds();
  const waiting = new Set<HandshakeRequest>();
  const clientErrors: ClientErrorCounts = { tlsOnPlainPort: 0, headersTooLarge: 0, otherwise: 0 };

  // Request heads kept until parsed, for the requests node's parser rejects (clientError).
  const heads = new WeakMap<Duplex, RequestHeadCapture>();
  const stopCapture = (socket: Duplex) => {
    heads.get(socket)?.stop();
    heads.delete(socket);
  };
  // Over TLS the HTTP/1.1 parser reads the decrypted socket, and HTTP/2 sessions have their own.
  httpServer.on(h2Server ? "secureConnection" : "connection", (socket: TLSSocket | Socket) => {
    if ("alpnProtocol" in socket && socket.alpnProtocol === "h2") return;
    heads.set(socket, new RequestHeadCapture(socket, maxHeaderSize + 64 * 1024));
  });
  // http2's server has no closeAllConnections(): its TCP connections are closed one by one.
  const tcpSockets = new Set<Socket>();
  if (h2Server) {
    h2Server.on("connection", (socket: Socket) => {
      tcpSockets.add(socket);
      socket.once("close", () => tcpSockets.delete(socket));
    });
  }
  httpServer.on("request", (request: IncomingMessage) => stopCapture(request.socket));

  httpServer.on("clientError", (error: ClientError, socket: Duplex) => {
    const head = heads.get(socket)?.bytes ?? error.rawPacket;
    stopCapture(socket);
    // A `wss://` URL to this plain port: the bytes are a TLS ClientHello, and nothing in
    // them (no tap id) can be read. No HTTP answer means anything to a TLS client.
    if (head?.[0] === TLS_HANDSHAKE_RECORD) {
      clientErrors.tlsOnPlainPort += 1;
      socket.destroy();
      return;
    }
    // The peer went away mid-request: a socket error, not a request to answer or count.
    if (error.code === "ECONNRESET" || error.code === "EPIPE") {
      socket.destroy();
      return;
    }
    if (error.code === "HPE_HEADER_OVERFLOW") clientErrors.headersTooLarge += 1;
    else clientErrors.otherwise += 1;
    // As node does: answer only a connection that has not had an answer started already.
    if (!socket.writable || (socket as Socket).bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const { status, reason } = clientErrorRefusal(error, maxHeaderSize);
    const parsed = head ? parseRequestHead(head) : undefined;
    const url = parsed?.complete ? new URL(parsed.request.url, "http://localhost") : undefined;
    const tapId =
      url && recordsOwnTap(routes.match(url.pathname)) ? singleTapId(url.searchParams) : "";
    if (parsed && tapId) {
      recordRefusal(
        taps.open(tapId),
        socket,
        parsed.request,
        connectionIds.of(socket),
        status,
        reason,
      );
    }
    refuseHandshake(socket, status, reason);
  });

  /** A failure of the pipeline itself (not of a handler): the handshake goes, the server stays. */
  const pipelineFailed = (handshake: HandshakeRequest) => (error: unknown) => {
    console.error(`Error accepting a WebSocket at ${handshake.path}:`, error);
    handshake.stream.destroy();
  };

  /** The accept pipeline past the transport: what a handshake gets depends on its route. */
  const onHandshake = (handshake: HandshakeRequest, route: Route) => {
    switch (route.kind) {
      case "inspect":
        handleInspectHandshake(handshake, {
          taps,
          admission: () => admission(true),
          onOpen: (ws) => {
            const stats = registry.track(ws, INSPECT_PATH);
            return (bytes) => countOut(stats, bytes);
          },
          waitMs: options.tapWaitMs ?? TAP_WAIT_MS,
        }).catch(pipelineFailed(handshake));
        return;
      case "engine.io":
        // Engine.IO upgrades never reach here: they go to Socket.IO before the h1 pipeline.
        handshake.refuse(404, ENGINE_IO_NOT_SERVED);
        return;
      case "none":
        handshake.refuse(404, `No WebSocket endpoint at ${handshake.path}.`);
        return;
      case "endpoint":
        acceptEndpointHandshake(route.definition, handshake, {
          registry,
          maxPayload,
          waiting,
          admission: () => admission(false),
          onOpen: (ws) => {
            endpointSockets += 1;
            ws.once("close", () => {
              endpointSockets -= 1;
            });
          },
          onHandlerError: (path, error) => {
            console.error(`Error in the ${path} endpoint (its connection was closed):`, error);
          },
        }).catch(pipelineFailed(handshake));
        return;
    }
  };

  // The head was parsed: the copy kept for clientError is no longer needed.
  httpServer.on("upgrade", (_request: IncomingMessage, socket: Duplex) => stopCapture(socket));
  const transportOptions = {
    routes,
    taps,
    servers: new WebSocketServers(maxPayload),
    connectionIds,
    handshakeRefusal: guard.handshakeRefusal,
    maxPayload,
    onHandshake,
  };
  const h1Upgrade = createH1UpgradeHandler(transportOptions);
  httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Engine.IO runs its own WebSocket server and checks Host and Origin itself (`refusal`).
    const url = new URL(request.url ?? "/", "http://localhost");
    if (routes.match(url.pathname).kind === "engine.io") {
      socket.on("error", () => socket.destroy());
      // Tapped before any check, as every other upgrade: a refusal is recorded too.
      const tapId = singleTapId(url.searchParams);
      if (tapId) {
        const record = taps.open(tapId);
        const connection = connectionIds.of(socket);
        socketIoTaps.set(socket, new SocketTap(socket, request, record, connection, maxPayload));
      }
      // RFC 6455 §4.4, as for every other upgrade (ws alone would also take version 8).
      const refusal = versionRefusal(request, "h1");
      if (refusal) {
        refuseHandshake(socket, refusal.status, refusal.reason, refusal.headers);
        return;
      }
      socketIo.handleUpgrade(request, socket, head);
      return;
    }
    h1Upgrade(request, socket, head);
  });

  if (h2Server) {
    const h2Connect = createH2ConnectHandler({
      ...transportOptions,
      onEngineIo: (request, stream, tap) => {
        if (tap) socketIoTaps.set(stream, tap);
        socketIo.handleUpgrade(request, stream, Buffer.alloc(0));
      },
    });
    // RFC 8441's extended CONNECT. (Without a `connect` listener node answers every CONNECT
    // 405.) An HTTP/1.1 CONNECT over TLS comes here too: its socket is closed, as the plain
    // server does with one.
    h2Server.on("connect", (request: Http2ServerRequest | IncomingMessage, socket: unknown) => {
      if ("stream" in request) h2Connect(request);
      else (socket as Duplex).destroy();
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? DEFAULT_PORT, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://${urlHost(host)}:${port}`,
    port,
    host,
    clientErrors,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        // A slow 101 must not hold the shutdown: answer those handshakes now.
        for (const handshake of waiting) handshake.refuse(503, "The server is shutting down.");
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await Promise.all([registry.closeAll(SHUTDOWN_GRACE_MS), socketIo.close()]);
        if (h2Server) for (const socket of tcpSockets) socket.destroy();
        else httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

/**
 * The TLS server of `https`: HTTP/2 with RFC 8441's extended CONNECT announced
 * (SETTINGS_ENABLE_CONNECT_PROTOCOL), HTTP/1.1 allowed, both answered by the same request
 * handler (the compatibility API's request and response stand in for http's).
 */
function createTlsServer(
  tls: TlsCredentials,
  handleRequest: (request: IncomingMessage, response: ServerResponse) => void,
  timeouts: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number },
): Http2SecureServer {
  const server = createSecureServer(
    {
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true,
      settings: { enableConnectProtocol: true },
    },
    handleRequest as unknown as (
      request: Http2ServerRequest,
      response: Http2ServerResponse,
    ) => void,
  );
  // The same limits as the plain server's on HTTP/1.1 request heads (read when it listens).
  Object.assign(server, timeouts);
  return server;
}

/**
 * What stands for a request's TCP connection: its socket, or for HTTP/2 its session (a
 * stream's `socket` is a proxy made per stream, so it cannot identify the connection).
 */
function tcpConnectionOf(request: IncomingMessage): object {
  const { stream } = request as unknown as Partial<Http2ServerRequest>;
  return stream?.session ?? request.socket;
}

/** How often finished, idle taps are looked for and forgotten. */
const TAP_SWEEP_INTERVAL_MS = 60_000;

/** `GET /api/endpoints`: the catalogue, built from the endpoints this server really serves. */
function sendCatalogue(response: ServerResponse, catalogue: readonly unknown[]): void {
  response.writeHead(200, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
  });
  response.end(JSON.stringify(catalogue));
}

/**
 * Records a refusal of a request that never became an `IncomingMessage` (the HTTP parser
 * rejected it): the request as far as it could be read, and the response about to be sent.
 */
function recordRefusal(
  record: TapRecord,
  socket: Duplex,
  request: HandshakeEvent["request"],
  connection: string,
  status: number,
  reason: string,
): void {
  const text = refusalResponse(status, reason);
  const headEnd = text.indexOf("\r\n\r\n");
  const response = parseResponseHead(text.slice(0, headEnd));
  response.body = text.slice(headEnd + 4);
  record.live += 1;
  record.record({
    type: "handshake",
    tap: record.id,
    at: Date.now(),
    request,
    response,
    protocol: "",
    extensions: "",
    transport: "h1",
    connection,
  });
  socket.once("close", () => {
    record.live -= 1;
    record.record({ type: "end", tap: record.id, at: Date.now(), clean: false });
  });
}

/** The address to put in a URL for a bind address (a wildcard bind is reached on loopback). */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
