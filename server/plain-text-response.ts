import type { ServerResponse } from "node:http";

/**
 * Answers an HTTP request with a status and a one-line plain-text reason: what curl, scripts
 * and the browser's network panel show. (Refused WebSocket handshakes are written on the raw
 * socket instead: see `refuseHandshake`.)
 */
export function answerPlainText(
  response: ServerResponse,
  status: number,
  reason: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const body = `${reason}\n`;
  response.writeHead(status, {
    ...headers,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  response.end(body);
}
