import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { HandshakeEvent, HeaderList } from "../../src/protocol/inspector-events.ts";

/** What a request must tell to be recorded: an HTTP/1.1 one, or an HTTP/2 one (pseudo-headers first). */
export type CapturableRequest = Pick<
  IncomingMessage,
  "method" | "url" | "httpVersion" | "rawHeaders"
>;

/** The request exactly as it arrived: header names in their case and order, repeats kept. */
export function capturedRequest(request: CapturableRequest): HandshakeEvent["request"] {
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

const HEAD_END = Buffer.from("\r\n\r\n");

/**
 * Keeps the bytes a connection sends until its first request head ends, so that a request
 * node's HTTP parser rejects before any `request` or `upgrade` event (431 for an oversized
 * head, 400 for malformed bytes) can still be recorded: the parser's error carries only the
 * chunk it failed in. The listener goes in front of the parser's, so the failing chunk is
 * kept too. Adding it makes node feed the parser from JavaScript `data` events instead of
 * straight from the socket, which costs nothing noticeable on a request head.
 */
export class RequestHeadCapture {
  readonly #socket: Duplex;
  readonly #limit: number;
  #bytes: Buffer | undefined = Buffer.alloc(0);
  readonly #onData = (chunk: Buffer) => this.#append(chunk);

  /** @param limit bytes kept at most: the parser's limit plus one chunk is enough. */
  constructor(socket: Duplex, limit: number) {
    this.#socket = socket;
    this.#limit = limit;
    socket.prependListener("data", this.#onData);
  }

  /** What arrived so far (the head, or its start). */
  get bytes(): Buffer | undefined {
    return this.#bytes;
  }

  /** Stops watching: the request was parsed (or failed) and needs no more bytes. */
  stop(): void {
    this.#socket.off("data", this.#onData);
    this.#bytes = undefined;
  }

  #append(chunk: Buffer): void {
    const before = this.#bytes;
    if (before === undefined) return;
    const joined = before.length === 0 ? chunk : Buffer.concat([before, chunk]);
    this.#bytes = joined;
    const ended = joined.indexOf(HEAD_END, Math.max(0, before.length - 3)) !== -1;
    // Once the head has ended or is past any limit the parser allows, no later byte matters.
    if (ended || joined.length > this.#limit) this.#socket.off("data", this.#onData);
  }
}

/**
 * Reads a request head from raw bytes, as far as they go: the request line and every
 * complete header line. `complete` says whether the request line itself ended, so its URL
 * (and a tap id in it) is whole.
 */
export function parseRequestHead(
  bytes: Buffer,
): { request: HandshakeEvent["request"]; complete: boolean } | undefined {
  const text = bytes.toString("latin1");
  const headEnd = text.indexOf("\r\n\r\n");
  const lines = (headEnd === -1 ? text : text.slice(0, headEnd)).split("\r\n");
  const complete = lines.length > 1 || headEnd !== -1;
  const requestLine = /^([A-Z]+) (\S+)(?: HTTP\/(\d\.\d))?/.exec(lines[0] ?? "");
  if (!requestLine) return undefined;
  // Without the end of the head, the last line may be cut short: keep only complete ones.
  const headerLines = headEnd === -1 ? lines.slice(1, -1) : lines.slice(1);
  const headers: HeaderList = [];
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return {
    request: {
      method: requestLine[1] ?? "GET",
      url: requestLine[2] ?? "/",
      httpVersion: requestLine[3] ?? "1.1",
      headers,
    },
    complete: complete && requestLine[3] !== undefined,
  };
}
