import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { formatCount } from "../src/shared/format-count.ts";

/** Header lines a refusal adds to its status line, e.g. 426's `Sec-WebSocket-Version: 13`. */
export type RefusalHeaders = readonly (readonly [name: string, value: string])[];

/**
 * A refusal as written on the wire: status line, `Connection: close` (unless `headers` gives
 * its own Connection), `headers`, and a one-line plain-text reason as the body.
 */
export function refusalResponse(
  status: number,
  reason: string,
  headers: RefusalHeaders = [],
): string {
  const body = `${reason}\n`;
  const ownConnection = headers.some(([name]) => name.toLowerCase() === "connection");
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
    (ownConnection ? "" : "Connection: close\r\n") +
    headers.map(([name, value]) => `${name}: ${value}\r\n`).join("") +
    "Content-Type: text/plain; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "\r\n" +
    body
  );
}

/**
 * Refuses a WebSocket handshake with an HTTP status and a one-line plain-text reason, then
 * closes the TCP connection. Browsers hide the body from scripts, but wscat, curl and other
 * languages' clients show it, and the server's tap records it for the page.
 */
export function refuseHandshake(
  socket: Duplex,
  status: number,
  reason: string,
  headers: RefusalHeaders = [],
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // write() then end(), not end(data): a tap watches write() to record the refusal too.
  socket.write(refusalResponse(status, reason, headers));
  socket.end();
}

/** A request node's HTTP parser rejected before any `request` or `upgrade` event. */
export interface ClientError extends Error {
  code?: string;
  /** The chunk the parser was reading when it failed. */
  rawPacket?: Buffer;
}

/** The status and reason for a request the HTTP parser rejected, as node itself would answer. */
export function clientErrorRefusal(
  error: ClientError,
  maxHeaderSize: number,
): { status: number; reason: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: `The request line and headers exceed the ${formatCount(maxHeaderSize)} bytes this server's HTTP parser accepts.`,
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, reason: "The request's chunk extensions are too large." };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, reason: "The request did not arrive in time." };
    default:
      return {
        status: 400,
        reason: `The request is not valid HTTP/1.1 (${error.code ?? error.message}).`,
      };
  }
}
