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
  transport: "h1" | "h2";
  /** An id of the TCP connection, so several WebSockets sharing one can be drawn together. */
  connection: string;
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

export type InspectorEvent = HandshakeEvent | FrameEvent | EndEvent | GapEvent;

/**
 * How an inspector wants its events: `json` one JSON text message per event (the documented
 * default), `batch` JSON arrays of events, `binary` frames as binary columnar batches (see
 * frame-batch.ts) with every other event as a JSON text message between them.
 */
export type InspectorFormat = "json" | "batch" | "binary";

/** Bytes of decoded payload kept as a frame's preview. */
export const PREVIEW_BYTES = 256;
