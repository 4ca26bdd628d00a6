/**
 * WebSocket close codes (RFC 6455 §7.4, IANA registry) with the words the page shows.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  NoStatusReceived: 1005,
  Abnormal: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TlsHandshake: 1015,
} as const;

const DESCRIPTIONS: Record<number, string> = {
  1000: "Normal closure: the purpose of the connection was fulfilled.",
  1001: "Going away: the server is shutting down or the page is navigating away.",
  1002: "Protocol error: a peer broke the WebSocket framing rules.",
  1003: "Unsupported data: a peer received a type of data it cannot accept.",
  1005: "No status received: the close frame carried no code (never sent on the wire).",
  1006: "Abnormal closure: the connection ended without a close frame — a failed handshake, a refused subprotocol or a dropped TCP connection (never sent on the wire).",
  1007: "Invalid payload: a text message was not valid UTF-8.",
  1008: "Policy violation: a message broke the endpoint's policy.",
  1009: "Message too big: a message exceeded the size the peer will take.",
  1010: "Mandatory extension: the client needed an extension the server did not negotiate.",
  1011: "Internal error: the server met an unexpected condition.",
  1012: "Service restart.",
  1013: "Try again later.",
  1014: "Bad gateway.",
  1015: "TLS handshake failed (never sent on the wire).",
};

export function describeCloseCode(code: number): string {
  const known = DESCRIPTIONS[code];
  if (known) return known;
  if (code >= 4000 && code <= 4999) return "Private use: an application-defined code (4000–4999).";
  if (code >= 3000 && code <= 3999) return "Registered for libraries and frameworks (3000–3999).";
  return "Not a defined close code.";
}

/**
 * Whether the page's `close(code)` may send this code: the WebSocket API allows only 1000
 * and 3000–4999, because the others describe conditions only the protocol itself reports.
 */
export function isApplicationCloseCode(code: number): boolean {
  return code === 1000 || (code >= 3000 && code <= 4999);
}
