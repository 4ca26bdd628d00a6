import { formatCount } from "../../shared/format-count.ts";
import type { ServerRecord } from "../../stores/connections-store.ts";

/**
 * One line per WebSocket-related header: what it is doing in this handshake. Keys are
 * lower-case header names; `request`/`response` say which side's header is meant.
 */
const REQUEST_NOTES: Record<string, string> = {
  upgrade:
    "websocket: asks to switch this HTTP/1.1 connection to the WebSocket protocol (RFC 6455 §4.1).",
  connection: "Upgrade: the Upgrade header is meant for this hop, not for proxies to pass on.",
  "sec-websocket-key":
    "16 random bytes in base64. Not a secret: it lets the client check that the server really answered this WebSocket handshake.",
  "sec-websocket-version": "13: the only version of the protocol standardised (RFC 6455).",
  "sec-websocket-protocol":
    "The subprotocols offered, most preferred first; the server may pick one.",
  "sec-websocket-extensions":
    "Extensions offered with their parameters; browsers offer permessage-deflate with client_max_window_bits (RFC 7692).",
  origin:
    "The page that opened the socket. Browsers always send it and do not apply the same-origin policy to WebSockets, so servers must check it: this one refuses foreign origins with 403.",
  host: "The server the browser thinks it is talking to; checked against Origin to recognise the page's own origin.",
};

const RESPONSE_NOTES: Record<string, string> = {
  upgrade: "websocket: the server agrees to switch protocols.",
  connection: "Upgrade: this connection is now upgraded.",
  "sec-websocket-accept":
    "base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)): proof that the server read this handshake's key (RFC 6455 §4.2.2).",
  "sec-websocket-protocol":
    "The one subprotocol the server chose; absent when it chose none. The browser fails the connection if it names one that was not offered.",
  "sec-websocket-extensions":
    "The extensions the server accepted, with the parameters both sides now use.",
  "content-type": "A refusal carries a body saying why; browsers hide it from scripts.",
};

export function headerNote(
  side: "request" | "response",
  name: string,
  value = "",
): string | undefined {
  if (side === "response" && name.toLowerCase() === "connection" && /close/i.test(value)) {
    return "close: the server ends this TCP connection after the response; no upgrade happened.";
  }
  return (side === "request" ? REQUEST_NOTES : RESPONSE_NOTES)[name.toLowerCase()];
}

export function statusNote(status: number): string {
  if (status === 101) {
    return "101 Switching Protocols: from the next byte on, this TCP connection carries WebSocket frames.";
  }
  const failed = "the browser fails the connection and reports close code 1006 (RFC 6455 §4.1).";
  if (status === 400)
    return `400: the server refused the handshake; its body says why, and ${failed}`;
  if (status === 403) return `403: the server refused this page's Origin; ${failed}`;
  if (status === 404) return `404: no WebSocket endpoint at this path; ${failed}`;
  if (status === 421) {
    return `421: the server does not answer to this Host name (a guard against DNS rebinding); ${failed}`;
  }
  if (status === 431) {
    return `431: the request line and headers were larger than the server's HTTP parser accepts; ${failed}`;
  }
  if (status === 503)
    return `503: the server cannot take this connection now (try again later); ${failed}`;
  return `${status}: anything but 101 means the handshake failed; ${failed}`;
}

/** Request lines longer than this are shown shortened: a 431's URL can run to many KiB. */
export const LONG_LINE = 240;

/** `text` cut to its start and end around a count of what was left out. */
export function shortenLine(text: string): string {
  if (text.length <= LONG_LINE) return text;
  const left = text.length - 160 - 60;
  return `${text.slice(0, 160)}… ${formatCount(left)} more characters …${text.slice(-60)}`;
}

/**
 * Why the panel has no handshake to show, for an attempt that has none yet: each case says
 * what the server can or cannot have seen.
 */
export function missingHandshakeNote(input: {
  attempted: boolean;
  constructError: string | undefined;
  tapId: string;
  serverRecord: ServerRecord;
  attemptUrl: string;
  pageHost: string;
  pageProtocol: string;
}): string {
  if (!input.attempted) return "Connect to see the request and response.";
  if (input.constructError !== undefined) {
    return "new WebSocket() threw, so no request was made: there is no handshake to show.";
  }
  if (isTlsToPlainPort(input.attemptUrl, input.pageHost, input.pageProtocol)) {
    return "No HTTP request was made: wss: opened with a TLS handshake to a port that speaks plain HTTP, which the server could only drop. There is no request or response to show.";
  }
  if (!input.tapId) {
    return "Only connections to the companion server can be shown: it records the handshake as it arrives.";
  }
  if (input.serverRecord === "absent") {
    return "The server received no HTTP request for this attempt, so there is no request or response to show.";
  }
  if (input.serverRecord === "unreadable") {
    return "The page could not ask the server for its record of this attempt (is the server still running?), so whether a request reached it is unknown.";
  }
  return "Waiting for the server's record of the handshake…";
}

function isTlsToPlainPort(url: string, pageHost: string, pageProtocol: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "wss:" && pageProtocol === "http:" && parsed.host === pageHost;
  } catch {
    return false;
  }
}
