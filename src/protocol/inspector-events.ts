/**
 * The frame inspector's events: what `/inspect?tap=ID` sends, one JSON text message each.
 * Types only, shared by the server's tap and the page's inspector client.
 */

export type HeaderList = [name: string, value: string][];

export interface HandshakeEvent {
  type: "handshake";
  tap: string;
  at: number;
  request: { method: string; url: string; httpVersion: string; headers: HeaderList };
  /** `body`: what a refusal (any status but 101) said, as far as the first write carried it. */
  response: { status: number; statusText: string; headers: HeaderList; body?: string };
  /** The negotiated subprotocol, "" when none. */
  protocol: string;
  /** The negotiated extensions as the response named them, "" when none. */
  extensions: string;
  /**
   * `h1`: an HTTP/1.1 Upgrade, a TCP connection of its own. `h2`: an RFC 8441 extended CONNECT,
   * one stream of an HTTP/2 connection (the request then shows its pseudo-headers, `:method
   * CONNECT`, `:protocol websocket`…, and an accepted one answers `:status 200`, not 101).
   */
  transport: "h1" | "h2";
  /** An id of the TCP connection, so several WebSockets sharing one can be drawn together. */
  connection: string;
  /** For `h2`: the HTTP/2 stream id (odd, rising, unique within its connection). */
  stream?: number;
}

export type Direction = "in" | "out";

export interface FrameEvent {
  type: "frame";
  tap: string;
  /** 1, 2, 3… per tap, counting frames: the n-th frame seen on that tap, either way. */
  seq: number;
  at: number;
  /** `in` is client→server, `out` server→client. */
  dir: Direction;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  opname: string;
  masked: boolean;
  /** The 4-byte masking key as hex, when masked. */
  maskKey?: string;
  /** Bytes of header: 2, plus 2 or 8 of extended length, plus 4 of mask key. */
  headerLength: number;
  /** Payload bytes on the wire (compressed, if it was). */
  payloadLength: number;
  lengthEncoding: "7-bit" | "16-bit" | "64-bit";
  /** On the last frame of a data message: its size after reassembly and inflation. */
  messageLength?: number;
  /** On the last frame of a data message: whether it was compressed (RSV1 on its first frame). */
  compressed?: boolean;
  /** The first 256 bytes of the decoded payload. */
  preview: string;
  previewEncoding: "text" | "hex";
  closeCode?: number;
  closeReason?: string;
  /** A protocol error found in this direction; the parser stops reading it after this. */
  error?: string;
  /**
   * On the last frame of a data message, when the connection speaks a protocol the server
   * decodes (Engine.IO / Socket.IO at `/socket.io/`, see server/tap/labellers.ts): what the
   * whole message meant, e.g. `message · EVENT · /chat · said` or `ping · probe`. A message
   * the decoder could not read says so, starting with ⚠: `⚠ socket.io: <reason>`. Frames with a
   * label always travel as JSON, never in binary batches.
   */
  label?: string;
  /** The decoder that gave `label`: `socket.io`, later `mux.v1`. */
  layer?: string;
}

export interface EndEvent {
  type: "end";
  tap: string;
  at: number;
  /** The code of the first close frame seen, if any. */
  code?: number;
  reason?: string;
  /**
   * Both close frames crossed the wire before TCP closed, and the first of them ended the
   * connection normally: empty, or a well-formed 1000, 1001, 1012, 1013 or 3000–4999 with a
   * UTF-8 reason. A close that fails the connection (1002, 1003, 1007–1011, 1014) or carries a
   * code never allowed on the wire (1005, 1006, 1015, unassigned) is not clean even when the
   * peer answered it (`isCleanEnd` in clean-close.ts, after RFC 6455 §7.1.4, §7.1.7, §7.4).
   */
  clean: boolean;
}

/**
 * This inspector fell so far behind that the server no longer holds the next events: they
 * are lost to it, and it is told so, never silently.
 */
export interface GapEvent {
  type: "gap";
  tap: string;
  at: number;
  /** Events (frames and others) this inspector will never receive. */
  dropped: number;
  /** How many of them were frames. */
  frames: number;
  /** How many events the server holds for this tap (the ring that overtook the reader). */
  kept: number;
}

/**
 * One half of an HTTP exchange on a tapped id that is not a WebSocket: an Engine.IO
 * long-polling request (`dir: "in"`) or its response (`dir: "out"`), e.g.
 * `{"type":"http","tap":"…","at":…,"dir":"out","exchange":3,"connection":"c7","method":"GET",
 * "url":"/socket.io/?EIO=4&transport=polling&tap=…&sid=…","status":200,"body":"40{\"sid\":…}",
 * "bodyLength":31,"labels":["message · CONNECT · / · sid …"]}`.
 * A GET's request is recorded when it arrives, a POST's once its body has ended, a response
 * once it has been handed to the kernel. Polling requests never produce an `end` event: only a
 * tapped TCP connection that carried a WebSocket does.
 */
export interface HttpEvent {
  type: "http";
  tap: string;
  at: number;
  /** `in`: the request (client→server); `out`: its response. */
  dir: Direction;
  /** Pairs a request with its response: 1, 2, 3… per tap. */
  exchange: number;
  /** The TCP connection it came on (`c1`, `c2`…), as handshake events name it. */
  connection: string;
  /** The request's method and URL (repeated on the response, so each event reads alone). */
  method: string;
  url: string;
  /** On the response: its status code. */
  status?: number;
  /** The body's start as UTF-8 text (at most HTTP_BODY_PREVIEW_BYTES bytes). */
  body: string;
  /** The whole body's size in bytes. */
  bodyLength: number;
  /**
   * What the body carried, packet by packet, for a protocol the server decodes (for
   * Engine.IO: `open · sid …`, `message · EVENT · /chat · said`, `⚠ engine.io: …`); empty
   * otherwise. At most HTTP_MAX_LABELS, the last saying how many more there were.
   */
  labels: string[];
  /** On a response: the connection closed before it was complete (`status` absent if unsent). */
  aborted?: boolean;
}

export type InspectorEvent = HandshakeEvent | FrameEvent | EndEvent | GapEvent | HttpEvent;

/**
 * How an inspector wants its events: `json` one JSON text message per event (the documented
 * default), `batch` JSON arrays of events, `binary` frames as binary columnar batches (see
 * frame-batch.ts) with every other event as a JSON text message between them.
 */
export type InspectorFormat = "json" | "batch" | "binary";

/** Bytes of decoded payload kept as a frame's preview. */
export const PREVIEW_BYTES = 256;
/** Bytes of an HTTP body an `http` event shows. */
export const HTTP_BODY_PREVIEW_BYTES = 1024;
/** Labels one `http` event lists at most. */
export const HTTP_MAX_LABELS = 64;
