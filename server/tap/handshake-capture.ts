import type { IncomingMessage } from "node:http";
import type { HandshakeEvent, HeaderList } from "../../src/protocol/inspector-events.ts";

/** The request exactly as it arrived: header names in their case and order, repeats kept. */
export function capturedRequest(request: IncomingMessage): HandshakeEvent["request"] {
  const headers: HeaderList = [];
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    headers.push([raw[index] as string, raw[index + 1] as string]);
  }
  return {
    method: request.method ?? "GET",
    url: request.url ?? "/",
    httpVersion: request.httpVersion,
    headers,
  };
}

/** Parses a response head (status line and headers, without the blank line) as written. */
export function parseResponseHead(head: string): HandshakeEvent["response"] {
  const [statusLine = "", ...lines] = head.split("\r\n");
  const match = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(statusLine);
  const headers: HeaderList = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { status: match ? Number(match[1]) : 0, statusText: match?.[2] ?? "", headers };
}
