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
  if (status === 400) return "400: the server refused the handshake; its body says why.";
  if (status === 403) return "403: the server refused this page's Origin.";
  if (status === 404) return "404: no WebSocket endpoint at this path.";
  return `${status}: anything but 101 means the handshake failed, and the browser reports close code 1006.`;
}
