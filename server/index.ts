/**
 * The companion server as a library: `startServer()` serves the built app, the REST API and
 * every WebSocket endpoint on one port. The CLI (`server/cli.ts`) and the tests use it alike.
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, maxHeaderSize, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join, resolve } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import sirv from "sirv";
import { type PerMessageDeflateOptions, WebSocketServer } from "ws";
import { findEndpoint, isTapId } from "../src/protocol/endpoint-catalogue.ts";
import { decideHandshake } from "../src/protocol/handshake-decision.ts";
import type { HandshakeEvent } from "../src/protocol/inspector-events.ts";
import { parseSubprotocolList, responseSubprotocol } from "../src/protocol/subprotocol.ts";
import { formatCount } from "../src/shared/format-count.ts";
import { handleApiRequest } from "./api.ts";
import { ConnectionRegistry } from "./connection-registry.ts";
import { deflateEndpoint } from "./endpoints/deflate.ts";
import { echoEndpoint } from "./endpoints/echo.ts";
import type { EndpointImplementation } from "./endpoints/endpoint.ts";
import { handleInspectUpgrade, TAP_WAIT_MS } from "./endpoints/inspect.ts";
import { seedWsEndpoint } from "./endpoints/seed-ws.ts";
import { streamEndpoint } from "./endpoints/stream.ts";
import {
  type ClientError,
  clientErrorRefusal,
  refusalResponse,
  refuseHandshake,
} from "./handshake-response.ts";
import { isOriginAllowed } from "./origin.ts";
import {
  parseRequestHead,
  parseResponseHead,
  RequestHeadCapture,
} from "./tap/handshake-capture.ts";
import { SocketTap } from "./tap/socket-tap.ts";
import type { TapRecord } from "./tap/tap-record.ts";
import { TapRegistry } from "./tap/tap-registry.ts";

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Address to bind. Default 127.0.0.1 (this machine only); `0.0.0.0` for a LAN workshop. */
  host?: string;
  /** Origins besides the page's own that may open WebSockets; `*` allows all. Default none. */
  allowedOrigins?: readonly string[];
  /** Folder of the built page. Default `dist/app` beside this package. */
  staticDir?: string;
  /** Interval of the heartbeat pings that find dead peers, in ms; 0 turns them off. Default 30,000. */
  heartbeatMs?: number;
  /** Largest message accepted, in bytes after decompression (close 1009 above). Default 1 MiB. */
  maxPayload?: number;
  /** How long `/inspect` waits for an unknown tap id to appear, in ms. Default 60,000. */
  tapWaitMs?: number;
  /**
   * Open WebSockets on the endpoints (inspectors not counted) beyond which a handshake is
   * refused with 503. Default 10,000.
   */
  maxConnections?: number;
  /**
   * Memory all taps' event logs may hold together, in bytes. A log that would grow past it
   * wraps at the size it has, and inspectors that fall behind are told what they missed.
   * Default 256 MiB (a full tap holds 20,000 events in about 6 MB).
   */
  tapMemoryBytes?: number;
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
  /** Base URL of the app, e.g. `http://127.0.0.1:8000`. */
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
/** The first byte of a TLS record carrying a handshake message (a ClientHello here). */
const TLS_HANDSHAKE_RECORD = 0x16;
const SHUTDOWN_GRACE_MS = 2000;

const IMPLEMENTATIONS: readonly EndpointImplementation[] = [
  echoEndpoint,
  deflateEndpoint,
  streamEndpoint,
  seedWsEndpoint,
];
/** Distinct permessage-deflate settings get their own `ws` server; this many are kept. */
const MAX_CACHED_SERVERS = 64;

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
  const registry = new ConnectionRegistry(options.heartbeatMs ?? 30_000);
  const startedAt = Date.now();

  const serveStatic = existsSync(staticDir)
    ? sirv(staticDir, { single: true, etag: true, gzip: false })
    : undefined;

  const httpServer = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname.startsWith("/api/")) {
      handleApiRequest(request, response, url, { registry, startedAt, taps });
      return;
    }
    if (findEndpoint(url.pathname)) {
      response.writeHead(426, {
        "Content-Type": "text/plain; charset=utf-8",
        Upgrade: "websocket",
      });
      response.end(`${url.pathname} is a WebSocket endpoint: open it with a WebSocket client.\n`);
      return;
    }
    if (!serveStatic) {
      response.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("The app is not built: run `npm run build` (npm start does it for you).\n");
      return;
    }
    serveStatic(request, response);
  });

  /** The subprotocol each accepted request will be answered with, decided before `ws` runs. */
  const chosenProtocol = new WeakMap<IncomingMessage, string | null>();
  const endpoints = new Map(IMPLEMENTATIONS.map((endpoint) => [endpoint.path, endpoint]));
  const taps = new TapRegistry(options.tapMemoryBytes);
  // Finished taps are forgotten after a while even when no new tap comes to trigger it.
  const sweeper = setInterval(() => taps.sweep(), TAP_SWEEP_INTERVAL_MS);
  sweeper.unref();
  let connectionCount = 0;
  let endpointSockets = 0;
  let closing: Promise<void> | undefined;
  const clientErrors: ClientErrorCounts = { tlsOnPlainPort: 0, headersTooLarge: 0, otherwise: 0 };

  /**
   * The tap for a handshake whose query names exactly one valid tap id. Made before any
   * check, so that every refusal (403, 404, 400, 503) crosses it and is recorded. The
   * inspector's own `tap` names the tap it reads, not one to record.
   */
  const tapFor = (url: URL, socket: Duplex, request: IncomingMessage) => {
    const tapId = singleTapId(url);
    if (!tapId) return undefined;
    connectionCount += 1;
    return new SocketTap(socket, request, taps.open(tapId), `c${connectionCount}`, maxPayload);
  };

  // Request heads kept until parsed, for the requests node's parser rejects (clientError).
  const heads = new WeakMap<Duplex, RequestHeadCapture>();
  const stopCapture = (socket: Duplex) => {
    heads.get(socket)?.stop();
    heads.delete(socket);
  };
  httpServer.on("connection", (socket: Socket) => {
    heads.set(socket, new RequestHeadCapture(socket, maxHeaderSize + 64 * 1024));
  });
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
    const tapId = parsed?.complete
      ? singleTapId(new URL(parsed.request.url, "http://localhost"))
      : "";
    if (parsed && tapId) {
      connectionCount += 1;
      recordRefusal(
        taps.open(tapId),
        socket,
        parsed.request,
        `c${connectionCount}`,
        status,
        reason,
      );
    }
    refuseHandshake(socket, status, reason);
  });

  const createWss = (perMessageDeflate: PerMessageDeflateOptions | false) => {
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload,
      perMessageDeflate,
      handleProtocols: (_offered, request) => chosenProtocol.get(request) ?? false,
    });
    // `ws` names a subprotocol only when the client offered some; `misbehave=unoffered` must
    // also answer a client that offered none.
    wss.on("headers", (headers, request) => {
      const protocol = chosenProtocol.get(request);
      if (protocol && request.headers["sec-websocket-protocol"] === undefined) {
        headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
      }
    });
    return wss;
  };
  // `ws` fixes permessage-deflate settings per server, and /deflate takes them from each
  // handshake's query: one server per distinct setting, the oldest dropped past the cap.
  const servers = new Map<string, WebSocketServer>();
  const wssFor = (perMessageDeflate: PerMessageDeflateOptions | false) => {
    const key = JSON.stringify(perMessageDeflate);
    let wss = servers.get(key);
    if (!wss) {
      wss = createWss(perMessageDeflate);
      servers.set(key, wss);
      if (servers.size > MAX_CACHED_SERVERS) {
        const [oldest] = servers.keys();
        if (oldest !== undefined) servers.delete(oldest);
      }
    }
    return wss;
  };
  const inspectWss = createWss(false);

  httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that vanishes mid-handshake must not take the server down.
    socket.on("error", () => socket.destroy());
    stopCapture(socket);
    const url = new URL(request.url ?? "/", "http://localhost");
    // Tap before any check, so a refused handshake is recorded as well as an accepted one.
    const tap = tapFor(url, socket, request);
    const origin = request.headers.origin;
    if (!isOriginAllowed(origin, request.headers.host, allowedOrigins)) {
      refuseHandshake(
        socket,
        403,
        `Origin ${origin} is not allowed: only this server's own page, clients without an Origin and ALLOWED_ORIGINS may connect.`,
      );
      return;
    }
    if (url.pathname === "/inspect") {
      handleInspectUpgrade(
        request,
        socket,
        head,
        url,
        inspectWss,
        taps,
        (ws) => {
          registry.track(ws, "/inspect");
        },
        options.tapWaitMs ?? TAP_WAIT_MS,
      );
      return;
    }
    const endpoint = endpoints.get(url.pathname);
    const spec = findEndpoint(url.pathname);
    if (!endpoint || !spec) {
      refuseHandshake(socket, 404, `No WebSocket endpoint at ${url.pathname}.`);
      return;
    }
    if (closing) {
      refuseHandshake(socket, 503, "The server is shutting down.");
      return;
    }
    if (endpointSockets >= maxConnections) {
      refuseHandshake(
        socket,
        503,
        `The server is at its limit of ${formatCount(maxConnections)} open WebSockets: try again when one has closed.`,
      );
      return;
    }

    const offered = parseSubprotocolList(request.headers["sec-websocket-protocol"]);
    const decision = decideHandshake(spec, url.searchParams, offered);
    if (decision.kind === "refuse") {
      refuseHandshake(socket, decision.status, decision.reason);
      return;
    }
    chosenProtocol.set(request, responseSubprotocol(decision.outcome));
    const wss = wssFor(endpoint.perMessageDeflate?.(decision.params, request) ?? false);
    wss.handleUpgrade(request, socket, head, (ws) => {
      tap?.attachIncoming();
      endpointSockets += 1;
      ws.once("close", () => {
        endpointSockets -= 1;
      });
      const stats = registry.track(ws, spec.path);
      // `ws` closes with the right code (1002, 1007, 1009) and then reports the error here.
      ws.on("error", () => {});
      endpoint.onConnection({ ws, request, params: decision.params, stats });
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? DEFAULT_PORT, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    host,
    clientErrors,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await registry.closeAll(SHUTDOWN_GRACE_MS);
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

/** How often finished, idle taps are looked for and forgotten. */
const TAP_SWEEP_INTERVAL_MS = 60_000;

/** The tap id a query names, when it names exactly one valid one; "" otherwise. */
function singleTapId(url: URL): string {
  if (url.pathname === "/inspect") return "";
  const tapIds = url.searchParams.getAll("tap");
  const tapId = tapIds.length === 1 ? (tapIds[0] ?? "") : "";
  return isTapId(tapId) ? tapId : "";
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
