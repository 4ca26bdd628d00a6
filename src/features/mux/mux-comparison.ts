/**
 * The arithmetic of the mux comparison: N channels over one mux.v1 socket against N separate
 * WebSockets. Pure: no DOM, no sockets; run-comparison.ts measures, this module counts.
 */

import type { HandshakeEvent, HeaderList } from "../../protocol/inspector-events.ts";
import { encodeClientEnvelope, encodeServerEnvelope } from "../../protocol/mux-envelope.ts";

export const MIN_COMPARE_N = 2;
export const MAX_COMPARE_N = 16;
/** Round trips per channel or socket. */
export const ROUND_TRIPS_PER_LANE = 20;

const utf8 = new TextEncoder();

export function utf8Length(text: string): number {
  return utf8.encode(text).length;
}

/**
 * Bytes of a WebSocket frame header (RFC 6455 §5.2) for a payload of `payloadLength` bytes:
 * 2, plus 2 of extended length from 126 bytes or 8 from 65,536, plus 4 of masking key on
 * frames a client sends (they must be masked; the server's must not).
 */
export function frameHeaderBytes(payloadLength: number, masked: boolean): number {
  const extended = payloadLength < 126 ? 0 : payloadLength < 65_536 ? 2 : 8;
  return 2 + extended + (masked ? 4 : 0);
}

/** Bytes of `Name: value\r\n` lines for a header list, as HTTP/1.1 puts them on the wire. */
export function headerLinesBytes(headers: HeaderList): number {
  let total = 0;
  for (const [name, value] of headers) total += utf8Length(`${name}: ${value}\r\n`);
  return total;
}

/** The request head: request line, header lines and the empty line that ends them. */
export function requestHeadBytes(request: HandshakeEvent["request"]): number {
  const line = `${request.method} ${request.url} HTTP/${request.httpVersion || "1.1"}\r\n`;
  return utf8Length(line) + headerLinesBytes(request.headers) + 2;
}

/** The response head: status line, header lines and the empty line that ends them. */
export function responseHeadBytes(response: HandshakeEvent["response"]): number {
  const line = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`;
  return utf8Length(line) + headerLinesBytes(response.headers) + 2;
}

/** Request head plus response head of one opening handshake. */
export function handshakeBytes(event: Pick<HandshakeEvent, "request" | "response">): number {
  return requestHeadBytes(event.request) + responseHeadBytes(event.response);
}

/** Framing of one message each way: bytes on the wire that are not the payload. */
export interface Framing {
  /** Client→server: masked frame header (+ envelope). */
  out: number;
  /** Server→client: unmasked frame header (+ envelope). */
  in: number;
}

/**
 * A message of text `payload` sent on a plain WebSocket: only the frame header is framing.
 */
export function plainFraming(payload: string): Framing {
  const length = utf8Length(payload);
  return { out: frameHeaderBytes(length, true), in: frameHeaderBytes(length, false) };
}

/**
 * The same JSON value `data` (whose text is `JSON.stringify(data)`, the payload of the plain
 * socket) sent as a mux.v1 data envelope on channel `ch`: the envelope's bytes beyond the
 * payload, plus the header of the (larger) frame that carries the envelope.
 */
export function muxFraming(ch: number, data: unknown): Framing {
  const payload = utf8Length(JSON.stringify(data));
  const out = utf8Length(encodeClientEnvelope({ op: "data", ch, data }));
  const back = utf8Length(encodeServerEnvelope({ op: "data", ch, data }));
  return {
    out: out - payload + frameHeaderBytes(out, true),
    in: back - payload + frameHeaderBytes(back, false),
  };
}

/** The mean framing over messages, each way. */
export function meanFraming(framings: readonly Framing[]): Framing {
  if (framings.length === 0) return { out: 0, in: 0 };
  let out = 0;
  let back = 0;
  for (const framing of framings) {
    out += framing.out;
    back += framing.in;
  }
  return { out: out / framings.length, in: back / framings.length };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** The payload of round trip `k` on lane `lane`: the same value both ways of comparing. */
export function comparePayload(lane: number, k: number): { lane: number; k: number; text: string } {
  return { lane, k, text: `round trip ${k + 1} of ${ROUND_TRIPS_PER_LANE}` };
}

/** What one way of carrying N conversations cost. */
export interface WayResult {
  /** WebSockets the page opened. */
  sockets: number;
  /** Distinct TCP connections the server saw them on (its `connection` ids). */
  tcpConnections: number;
  /** Opening handshakes recorded by the server. */
  handshakes: number;
  /** Request + response heads of all of them. */
  handshakeBytes: number;
  /** "h1", "h2" or both, as the server saw the handshakes. */
  transports: string[];
  framing: Framing;
  /** Median round-trip time in ms over every lane's round trips. */
  medianRttMs: number;
  roundTrips: number;
}

/** Sums the handshake records of one way into its result. */
export function summarizeWay(
  sockets: number,
  handshakes: readonly Pick<HandshakeEvent, "request" | "response" | "connection" | "transport">[],
  framings: readonly Framing[],
  rttsMs: readonly number[],
): WayResult {
  return {
    sockets,
    tcpConnections: new Set(handshakes.map((event) => event.connection)).size,
    handshakes: handshakes.length,
    handshakeBytes: handshakes.reduce((sum, event) => sum + handshakeBytes(event), 0),
    transports: [...new Set(handshakes.map((event) => event.transport))].sort(),
    framing: meanFraming(framings),
    medianRttMs: median(rttsMs),
    roundTrips: rttsMs.length,
  };
}

/** Clamps a typed N into the range the comparison runs. */
export function clampCompareN(value: number): number {
  if (!Number.isFinite(value)) return MIN_COMPARE_N;
  return Math.min(MAX_COMPARE_N, Math.max(MIN_COMPARE_N, Math.round(value)));
}
