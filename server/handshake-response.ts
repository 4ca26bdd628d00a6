import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Refuses a WebSocket handshake with an HTTP status and a one-line plain-text reason, then
 * closes the TCP connection. Browsers hide the body from scripts, but wscat, curl and other
 * languages' clients show it, and the page predicts the same reason with shared code.
 */
export function refuseHandshake(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // write() then end(), not end(data): a tap watches write() to record the refusal too.
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "\r\n" +
      body,
  );
  socket.end();
}
