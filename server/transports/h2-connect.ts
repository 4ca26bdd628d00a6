/**
 * RFC 8441 extended CONNECT (`:method CONNECT`, `:protocol websocket`) over HTTP/2 → one
 * `HandshakeRequest`, the shape h1-upgrade.ts makes of an HTTP/1.1 Upgrade: the same tap (made
 * before any check), the same Host/Origin guard, then the same accept pipeline (limits,
 * negotiation, `beforeAccept`, the handler).
 *
 * How a stream becomes a `ws` WebSocket, and why this way. `ws` has no HTTP/2 support
 * (websockets/ws#1458), but its `handleUpgrade` takes any Duplex (8.14+), and an HTTP/2 stream
 * is one: after the handshake it carries exactly the WebSocket frames a TCP socket would, as
 * DATA. So `ws` is handed the stream with an HTTP/1.1-shaped copy of the CONNECT (GET, Upgrade,
 * a made-up Sec-WebSocket-Key, which RFC 8441 drops), negotiates subprotocol and
 * permessage-deflate exactly as for HTTP/1.1, and writes its `101` head on the stream. That one
 * write is taken off the stream and sent as HEADERS instead: `:status 200` with the negotiated
 * `sec-websocket-protocol` and `sec-websocket-extensions` (no Sec-WebSocket-Accept, no
 * Upgrade/Connection: RFC 8441 §5, RFC 9113 §8.2.2). A refusal written the same way (by this
 * server or by `ws`) goes out as its status with the plain-text reason as DATA. The other road,
 * `new WebSocket(null)` + `setSocket`, would mean redoing the negotiation `handleUpgrade` does,
 * and Engine.IO (Socket.IO) reaches `ws` only through `handleUpgrade`.
 *
 * Traps this module handles:
 * - node's compatibility API answers every CONNECT 405 unless the server has a `connect`
 *   listener: the server passes that listener's requests here;
 * - `ws` ends its side after the closing handshake and waits (30 s) for the peer to end its
 *   own; a client that keeps its stream open would hold it that long. Once our side has ended,
 *   the client has END_STREAM_GRACE_MS to end its own before the stream is closed
 *   (RST_STREAM NO_ERROR): a client that ends its side, as browsers do, closes the stream
 *   normally, and only one that does not is reset;
 * - a stream has no address of its own, and `request.socket` is a proxy made per stream: the
 *   TCP connection is identified by the session.
 */
import { randomBytes } from "node:crypto";
import { type IncomingHttpHeaders, IncomingMessage } from "node:http";
import { constants, type Http2ServerRequest, type ServerHttp2Stream } from "node:http2";
import type { Socket } from "node:net";
import type { HandshakeEvent, HeaderList } from "../../src/protocol/inspector-events.ts";
import { refuseHandshake } from "../handshake-response.ts";
import type { RequestGuard } from "../request-guard.ts";
import { type Route, type RouteTable, recordsOwnTap } from "../routes.ts";
import { parseResponseHead } from "../tap/handshake-capture.ts";
import { SocketTap } from "../tap/socket-tap.ts";
import type { TapRegistry } from "../tap/tap-registry.ts";
import {
  type ConnectionIds,
  dispatchHandshake,
  type HandshakeRequest,
  singleTapId,
  type WebSocketServers,
} from "./h1-upgrade.ts";
import { versionRefusal } from "./websocket-version.ts";

const EMPTY = Buffer.alloc(0);
const HEAD_END = Buffer.from("\r\n\r\n");
/** A head `ws` or this server writes is a few hundred bytes; past this it is not one. */
const MAX_HEAD_BYTES = 16 * 1024;
/** How long a client has to end its side of a stream after the server ended its own. */
export const END_STREAM_GRACE_MS = 1000;
/** HTTP/1.1 headers HTTP/2 forbids (RFC 9113 §8.2.2), and the 101's own. */
const NOT_FOR_HTTP2 = new Set([
  "connection",
  "upgrade",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "sec-websocket-accept",
]);

export interface H2ConnectOptions {
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
  /**
   * Socket.IO's WebSocket (`/socket.io/`): handed to Engine.IO as an HTTP/1.1 upgrade would
   * be, with the stream (its answer converted here) and the tap, if any.
   */
  onEngineIo(request: IncomingMessage, stream: ServerHttp2Stream, tap: SocketTap | undefined): void;
}

/** The `connect` listener of an HTTP/2 server (node's compatibility API). */
export function createH2ConnectHandler(
  options: H2ConnectOptions,
): (request: Http2ServerRequest) => void {
  const { routes, taps, servers, connectionIds, handshakeRefusal, maxPayload } = options;
  return (h2Request) => {
    const { stream } = h2Request;
    // A client that vanishes mid-handshake must not take the server down.
    stream.on("error", () => stream.destroy());
    const session = stream.session;
    if (!session || stream.destroyed) return;
    closeWhenEnded(stream);
    const protocol = h2Request.headers[":protocol"];
    if (protocol !== "websocket") {
      answerHeadsAsHttp2(stream, () => {});
      if (protocol === undefined) {
        refuseHandshake(
          stream,
          405,
          "CONNECT tunnels are not served: only RFC 8441's extended CONNECT with :protocol websocket.",
        );
      } else {
        refuseHandshake(stream, 400, `:protocol ${protocol} is not served: only websocket.`);
      }
      return;
    }

    const request = upgradeRequestFor(h2Request);
    const url = new URL(h2Request.url, "http://localhost");
    const route = routes.match(url.pathname);
    const connection = connectionIds.of(session);
    // Tap before any check, so a refused handshake is recorded as well as an accepted one.
    const tapId = recordsOwnTap(route) ? singleTapId(url.searchParams) : "";
    const tap = tapId
      ? new SocketTap(stream, h2Request, taps.open(tapId), connection, maxPayload, stream.id)
      : undefined;
    answerHeadsAsHttp2(stream, (response) => tap?.recordH2Response(response));

    if (route.kind === "engine.io") {
      // RFC 8441 asks for version 13 here too; `ws` under Engine.IO would take 8.
      const unspoken = versionRefusal(request, "h2");
      if (unspoken) {
        refuseHandshake(stream, unspoken.status, unspoken.reason, unspoken.headers);
        return;
      }
      // Engine.IO checks Host and Origin itself, as for its HTTP/1.1 upgrades.
      options.onEngineIo(request, stream, tap);
      return;
    }

    dispatchHandshake(
      {
        transport: "h2",
        connection,
        streamId: stream.id,
        url,
        request,
        stream,
        head: EMPTY,
        tap,
      },
      { servers, handshakeRefusal, onHandshake: options.onHandshake },
      route,
    );
  };
}

/**
 * The CONNECT as `ws` and the endpoints expect a WebSocket opening request: GET with Upgrade,
 * Connection and a Sec-WebSocket-Key, the other headers as sent, `:authority` as Host. Its
 * socket is the session's (for the peer's address); `httpVersion` says 2.0.
 */
export function upgradeRequestFor(h2Request: Http2ServerRequest): IncomingMessage {
  const request = new IncomingMessage(h2Request.stream.session?.socket as Socket);
  const headers: IncomingHttpHeaders = {};
  const rawHeaders: string[] = [];
  const authority = h2Request.headers[":authority"];
  if (typeof authority === "string") {
    headers.host = authority;
    rawHeaders.push("host", authority);
  }
  for (const [name, value] of Object.entries(h2Request.headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    headers[name] = value;
    for (const one of Array.isArray(value) ? value : [value]) rawHeaders.push(name, one);
  }
  const key = randomBytes(16).toString("base64");
  Object.assign(headers, { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": key });
  rawHeaders.push("upgrade", "websocket", "connection", "Upgrade", "sec-websocket-key", key);
  request.method = "GET";
  request.url = h2Request.url;
  request.httpVersion = "2.0";
  request.httpVersionMajor = 2;
  request.httpVersionMinor = 0;
  request.headers = headers;
  request.rawHeaders = rawHeaders;
  request.complete = true;
  request.push(null);
  return request;
}

/**
 * Takes the HTTP/1.1 response head written first on `stream` (by `ws` or a refusal) off the
 * stream and sends it as HTTP/2 HEADERS: 101 becomes `:status 200`, anything else keeps its
 * status; connection-specific headers are dropped. What follows the head is written as DATA.
 * `onResponse` gets the answer as sent, `:status` first among its headers.
 */
export function answerHeadsAsHttp2(
  stream: ServerHttp2Stream,
  onResponse: (response: HandshakeEvent["response"]) => void,
): void {
  const write = stream.write;
  const end = stream.end;
  let pending: Buffer | undefined = EMPTY;
  const restore = () => {
    pending = undefined;
    stream.write = write;
    stream.end = end;
  };

  /** Collects `chunk`; once the head is whole, answers it and returns what came after it. */
  const takeHead = (chunk: Buffer): Buffer | undefined => {
    const joined: Buffer = Buffer.concat([pending ?? EMPTY, chunk]);
    const headEnd = joined.indexOf(HEAD_END);
    if (headEnd === -1) {
      if (joined.length > MAX_HEAD_BYTES) {
        restore();
        stream.destroy();
      } else {
        pending = joined;
      }
      return undefined;
    }
    restore();
    const head = parseResponseHead(joined.subarray(0, headEnd).toString("latin1"));
    const body = joined.subarray(headEnd + HEAD_END.length);
    const status = head.status === 101 ? 200 : head.status;
    const headers: HeaderList = [[":status", String(status)]];
    for (const [name, value] of head.headers) {
      const lower = name.toLowerCase();
      if (!NOT_FOR_HTTP2.has(lower)) headers.push([lower, value]);
    }
    if (!stream.destroyed && !stream.headersSent) {
      stream.respond(Object.fromEntries(headers.map(([name, value]) => [name, value])));
    }
    const response: HandshakeEvent["response"] = { status, statusText: "", headers };
    if (status !== 200 && body.length > 0) response.body = body.subarray(0, 1024).toString("utf8");
    onResponse(response);
    return body;
  };

  stream.write = function headWrite(
    this: ServerHttp2Stream,
    chunk: unknown,
    encoding?: unknown,
    callback?: unknown,
  ): boolean {
    const done = typeof encoding === "function" ? encoding : callback;
    const rest = takeHead(toBuffer(chunk, encoding));
    if (rest === undefined || rest.length === 0) {
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    }
    return stream.write(rest, done as (error?: Error | null) => void);
  } as ServerHttp2Stream["write"];

  stream.end = function headEnd(
    this: ServerHttp2Stream,
    chunk?: unknown,
    encoding?: unknown,
    callback?: unknown,
  ): ServerHttp2Stream {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") {
      stream.write(toBuffer(chunk, encoding));
      const done = typeof encoding === "function" ? encoding : callback;
      return stream.end(done as () => void);
    }
    // Ended with no head written: nothing was answered, so the stream is reset.
    if (pending !== undefined) {
      restore();
      stream.close(constants.NGHTTP2_CANCEL);
      return stream;
    }
    return (end as (...rest: unknown[]) => ServerHttp2Stream).apply(
      this,
      // biome-ignore lint/complexity/noArguments: pass on exactly what the caller gave.
      arguments as unknown as unknown[],
    );
  } as ServerHttp2Stream["end"];
}

/**
 * Once this side has ended (the closing handshake done, or a refusal sent), gives the client
 * END_STREAM_GRACE_MS to end its side, then closes the stream: RST_STREAM NO_ERROR.
 */
function closeWhenEnded(stream: ServerHttp2Stream): void {
  stream.once("finish", () => {
    if (stream.destroyed || stream.readableEnded) return;
    const timer = setTimeout(() => {
      if (!stream.destroyed) stream.close(constants.NGHTTP2_NO_ERROR);
    }, END_STREAM_GRACE_MS);
    timer.unref();
    stream.once("close", () => clearTimeout(timer));
  });
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") {
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  }
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return EMPTY;
}
