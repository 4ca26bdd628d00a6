/**
 * HTTP/1.1 `Upgrade: websocket` → one `HandshakeRequest`, the shape every transport (and
 * later RFC 8441's extended CONNECT over HTTP/2) hands to the accept pipeline. The checks that
 * do not depend on the endpoint happen here, once: the tap (made before any check, so every
 * refusal is recorded), the Host/Origin guard and the HTTP and WebSocket versions.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type PerMessageDeflateOptions, type WebSocket, WebSocketServer } from "ws";
import { isTapId } from "../../src/protocol/endpoint-catalogue.ts";
import { parseSubprotocolList } from "../../src/protocol/subprotocol.ts";
import { type RefusalHeaders, refuseHandshake } from "../handshake-response.ts";
import type { RequestGuard } from "../request-guard.ts";
import { type Route, type RouteTable, recordsOwnTap } from "../routes.ts";
import { SocketTap } from "../tap/socket-tap.ts";
import type { TapRegistry } from "../tap/tap-registry.ts";
import { versionRefusal } from "./websocket-version.ts";

/** `h1`: an HTTP/1.1 Upgrade (h1-upgrade.ts); `h2`: an RFC 8441 extended CONNECT (h2-connect.ts). */
export type TransportKind = "h1" | "h2";

/** How a handshake is answered with a 101. */
export interface AcceptOptions {
  /** The subprotocol to name in the answer (`null`: none). */
  protocol: string | null;
  perMessageDeflate: PerMessageDeflateOptions | false;
  /** Headers added to the answer (printable ASCII), e.g. why an extension offer was declined. */
  headers?: readonly [name: string, value: string][];
}

/** One WebSocket opening handshake, whatever transport carried it, not yet answered. */
export interface HandshakeRequest {
  readonly transport: TransportKind;
  /** An id of the TCP connection it came on (`c1`, `c2`…), as the tap's events name it. */
  readonly connection: string;
  /** For `h2`: the HTTP/2 stream id of the CONNECT; undefined for `h1`. */
  readonly streamId?: number;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly origin: string | undefined;
  /** The subprotocols the client offered, in its order. */
  readonly offeredProtocols: readonly string[];
  /**
   * The opening request as `ws` and the endpoints read it: for `h2`, an HTTP/1.1-shaped copy
   * of the CONNECT (see h2-connect.ts).
   */
  readonly request: IncomingMessage;
  /**
   * The byte stream under the WebSocket (for HTTP/1.1 the TCP socket, for HTTP/2 the CONNECT
   * stream): faults reach it here.
   */
  readonly stream: Duplex;
  /** False once answered or once the client went away. */
  readonly pending: boolean;
  /** Answers 101 and resolves with the open WebSocket. */
  accept(options: AcceptOptions): Promise<WebSocket>;
  /**
   * Answers `status` with a one-line plain-text reason (and `headers`, e.g. the versions
   * spoken), and closes the connection.
   */
  refuse(status: number, reason: string, headers?: RefusalHeaders): void;
}

/** Ids of TCP connections, given on first use and kept as long as the socket lives. */
export class ConnectionIds {
  #next = 0;
  readonly #ids = new WeakMap<object, string>();

  of(socket: object): string {
    let id = this.#ids.get(socket);
    if (id === undefined) {
      this.#next += 1;
      id = `c${this.#next}`;
      this.#ids.set(socket, id);
    }
    return id;
  }
}

/** Distinct permessage-deflate settings get their own `ws` server; this many are kept. */
const MAX_CACHED_SERVERS = 64;

/**
 * The `ws` servers that turn an answered handshake into a WebSocket. `ws` fixes
 * permessage-deflate settings per server, and /deflate takes them from each handshake's
 * query: one server per distinct setting, the oldest dropped past the cap.
 */
export class WebSocketServers {
  /** The subprotocol each accepted request will be answered with, decided before `ws` runs. */
  readonly #chosenProtocol = new WeakMap<IncomingMessage, string | null>();
  readonly #extraHeaders = new WeakMap<IncomingMessage, readonly [string, string][]>();
  readonly #servers = new Map<string, WebSocketServer>();
  readonly #maxPayload: number;

  constructor(maxPayload: number) {
    this.#maxPayload = maxPayload;
  }

  upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    options: AcceptOptions,
    onOpen: (ws: WebSocket) => void,
  ): void {
    this.#chosenProtocol.set(request, options.protocol);
    if (options.headers?.length) this.#extraHeaders.set(request, options.headers);
    this.#serverFor(options.perMessageDeflate).handleUpgrade(request, socket, head, onOpen);
  }

  #serverFor(perMessageDeflate: PerMessageDeflateOptions | false): WebSocketServer {
    const key = JSON.stringify(perMessageDeflate);
    let wss = this.#servers.get(key);
    if (!wss) {
      wss = this.#create(perMessageDeflate);
      this.#servers.set(key, wss);
      if (this.#servers.size > MAX_CACHED_SERVERS) {
        const [oldest] = this.#servers.keys();
        if (oldest !== undefined) this.#servers.delete(oldest);
      }
    }
    return wss;
  }

  /**
   * Limits `ws` (8.23) enforces itself, checked in its source (lib/receiver.js,
   * lib/websocket.js), kept at its defaults:
   * - `maxFragments` 16,384 frames in one message: past it, close 1008 with no reason (its
   *   receiver closes with the code alone; the `error` event says "Too many message fragments").
   * - `maxBufferedChunks` 262,144 socket chunks waiting to be parsed: past it, close 1008, no reason.
   * - `maxPendingAutoPongs` 60 automatic pongs unsent: past it, terminate with no close frame.
   *   Automatic pongs are off here instead, so that the registry answers pings and closes with
   *   1008 and a reason at the same count (MAX_PENDING_PONGS).
   * - `maxPayload` (set from ServerOptions.maxPayload), invalid UTF-8 (1007), protocol errors
   *   (1002): closed with the code alone as well.
   */
  #create(perMessageDeflate: PerMessageDeflateOptions | false): WebSocketServer {
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.#maxPayload,
      perMessageDeflate,
      // Pongs are sent by the connection registry, which closes with a reason when a peer
      // lets too many go unread (ws's own limit terminates without one).
      autoPong: false,
      handleProtocols: (_offered, request) => this.#chosenProtocol.get(request) ?? false,
    });
    // `ws` names a subprotocol only when the client offered some; `misbehave=unoffered` must
    // also answer a client that offered none.
    wss.on("headers", (headers, request) => {
      const protocol = this.#chosenProtocol.get(request);
      if (protocol && request.headers["sec-websocket-protocol"] === undefined) {
        headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
      }
      for (const [name, value] of this.#extraHeaders.get(request) ?? []) {
        headers.push(`${name}: ${value}`);
      }
    });
    // A handshake `ws` itself finds malformed (no key, wrong version, not GET): answered as
    // every other refusal, plain text with a reason and through the tap, not ws's text/html.
    wss.on("wsClientError", (error, socket) => {
      const status = error.message === "Invalid HTTP method" ? 405 : 400;
      refuseHandshake(socket, status, `${error.message}: this is not a valid WebSocket handshake.`);
    });
    return wss;
  }
}

export interface H1UpgradeOptions {
  routes: RouteTable;
  taps: TapRegistry;
  servers: WebSocketServers;
  connectionIds: ConnectionIds;
  /** The Host (421) and Origin (403) checks every handshake passes first. */
  handshakeRefusal: RequestGuard["handshakeRefusal"];
  /** The message limit, which the tap's frame reader shares. */
  maxPayload: number;
  /** The accept pipeline: everything that depends on the route. */
  onHandshake(handshake: HandshakeRequest, route: Route): void;
}

/** The `upgrade` listener of an HTTP/1.1 server. */
export function createH1UpgradeHandler(
  options: H1UpgradeOptions,
): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { routes, taps, servers, connectionIds, handshakeRefusal, maxPayload } = options;
  return (request, socket, head) => {
    // A client that vanishes mid-handshake must not take the server down.
    socket.on("error", () => socket.destroy());
    const url = new URL(request.url ?? "/", "http://localhost");
    const route = routes.match(url.pathname);
    const connection = connectionIds.of(socket);
    // Tap before any check, so a refused handshake is recorded as well as an accepted one.
    const tapId = recordsOwnTap(route) ? singleTapId(url.searchParams) : "";
    const tap = tapId
      ? new SocketTap(socket, request, taps.open(tapId), connection, maxPayload)
      : undefined;

    dispatchHandshake(
      { transport: "h1", connection, url, request, stream: socket, head, tap },
      { servers, handshakeRefusal, onHandshake: options.onHandshake },
      route,
    );
  };
}

/**
 * What a transport knows of one opening handshake; `dispatchHandshake` turns it into the one
 * `HandshakeRequest` the accept pipeline sees, whatever the transport.
 */
export interface TransportHandshake {
  transport: TransportKind;
  connection: string;
  /** The HTTP/2 stream id (h2 only). */
  streamId?: number;
  url: URL;
  /** The request as `ws` and the endpoints expect it (an HTTP/1.1-shaped one for h2). */
  request: IncomingMessage;
  stream: Duplex;
  /** Bytes read past the request head (none over h2). */
  head: Buffer;
  tap: SocketTap | undefined;
}

/**
 * Builds the `HandshakeRequest` for either transport, applies the Host/Origin guard and the
 * HTTP and WebSocket version checks once, and hands what passes to the accept pipeline.
 */
export function dispatchHandshake(
  from: TransportHandshake,
  pipeline: {
    servers: WebSocketServers;
    handshakeRefusal: RequestGuard["handshakeRefusal"];
    onHandshake(handshake: HandshakeRequest, route: Route): void;
  },
  route: Route,
): void {
  const { request, stream, tap } = from;
  let answered = false;
  const handshake: HandshakeRequest = {
    transport: from.transport,
    connection: from.connection,
    ...(from.streamId === undefined ? {} : { streamId: from.streamId }),
    path: from.url.pathname,
    query: from.url.searchParams,
    headers: request.headers,
    origin: request.headers.origin,
    offeredProtocols: parseSubprotocolList(request.headers["sec-websocket-protocol"]),
    request,
    stream,
    get pending() {
      return !answered && stream.writable && !stream.destroyed;
    },
    accept(acceptOptions) {
      answered = true;
      return new Promise((resolve) => {
        pipeline.servers.upgrade(request, stream, from.head, acceptOptions, (ws) => {
          tap?.attachIncoming();
          resolve(ws);
        });
      });
    },
    refuse(status, reason, headers = []) {
      answered = true;
      refuseHandshake(stream, status, reason, headers);
    },
  };
  const refusal = pipeline.handshakeRefusal(request);
  if (refusal) {
    handshake.refuse(refusal.status, refusal.reason);
    return;
  }
  // Before `ws`, which would take version 8 and answer others without the versions spoken.
  const unspoken = versionRefusal(request, from.transport);
  if (unspoken) {
    handshake.refuse(unspoken.status, unspoken.reason, unspoken.headers);
    return;
  }
  pipeline.onHandshake(handshake, route);
}

/** The tap id a query names, when it names exactly one valid one; "" otherwise. */
export function singleTapId(query: URLSearchParams): string {
  const tapIds = query.getAll("tap");
  const tapId = tapIds.length === 1 ? (tapIds[0] ?? "") : "";
  return isTapId(tapId) ? tapId : "";
}
