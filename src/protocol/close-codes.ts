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
  1004: "Reserved: no meaning is defined (never sent on the wire).",
};

/** Who may put a close code in a close frame, and whether it can cross the wire at all. */
export interface CloseCodeFacts {
  code: number;
  /** What it means, in plain words. */
  meaning: string;
  /** Who may send it (or why nobody does). */
  sentBy: string;
  /** False for codes that only an API reports (1005, 1006, 1015) or that are reserved. */
  onWire: boolean;
}

const SENT_BY: Record<number, string> = {
  1000: "either endpoint; a browser page may send it with close(1000)",
  1001: "either endpoint: a server shutting down, a browser leaving the page",
  1002: "either endpoint, when the other broke the framing rules",
  1003: "either endpoint, when it cannot accept the type of data it got",
  1007: "either endpoint, when a text message was not valid UTF-8",
  1008: "either endpoint, when a message broke its policy",
  1009: "either endpoint, when a message was larger than it accepts",
  1010: "only a client: the server did not agree to an extension the client requires",
  1011: "normally the server, on an unexpected condition",
  1012: "a server that is restarting (registered with IANA after RFC 6455)",
  1013: "a server that is overloaded for now (registered with IANA after RFC 6455)",
  1014: "a gateway or proxy whose upstream server answered badly (IANA)",
};

const NEVER_ON_WIRE: Record<number, string> = {
  1004: "nobody: reserved, with no meaning yet",
  1005: "nobody: the browser reports it when a close frame carried no code",
  1006: "nobody: the browser reports it when the connection ended without a close frame",
  1015: "nobody: the browser reports it when the TLS handshake failed",
};

/** Everything the page says about a close code (RFC 6455 §7.4, the IANA registry). */
export function explainCloseCode(code: number): CloseCodeFacts {
  const never = NEVER_ON_WIRE[code];
  if (never) return { code, meaning: describeCloseCode(code), sentBy: never, onWire: false };
  const sentBy =
    SENT_BY[code] ??
    (code >= 3000 && code <= 4999
      ? "either endpoint; a browser page may send it with close(code)"
      : "nobody: no meaning is defined for it, so a peer that receives it fails the connection (1002)");
  const onWire = SENT_BY[code] !== undefined || (code >= 3000 && code <= 4999);
  return { code, meaning: describeCloseCode(code), sentBy, onWire };
}

/** A close code's short name, e.g. "Abnormal closure" (the description up to its colon). */
export function closeCodeName(code: number): string {
  const description = describeCloseCode(code);
  const colon = description.indexOf(":");
  return (
    colon === -1 ? description.replace(/ \(.*\)\.?$|\.$/, "") : description.slice(0, colon)
  ).trim();
}

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
