/**
 * When the inspector calls a connection's end clean. RFC 6455 §7.1.4 says a connection is
 * closed cleanly when TCP closes after the closing handshake, but an endpoint that must
 * _Fail the WebSocket Connection_ (§7.1.7) also sends a close frame, with an error code, and
 * a conforming peer answers it with a close frame of its own (§5.5.1): both close frames
 * cross the wire, and yet the connection failed. So the first close frame must also say the
 * connection ended normally, and be one that a peer could accept (§7.4).
 */

/** What the first close frame carried. */
export interface CloseFrameFacts {
  /** Its status code; undefined when its payload was empty. */
  code: number | undefined;
  /** Its payload length in bytes: 1 is malformed, a code takes two (§5.5.1). */
  payloadLength: number;
  /** Whether the bytes after the code are valid UTF-8 (§5.5.1; §8.1: else fail with 1007). */
  reasonIsUtf8: boolean;
}

/**
 * Codes that end a connection on purpose, not because something went wrong: 1000 normal,
 * 1001 going away, 1012 service restart, 1013 try again later, and the application's own
 * 3000–4999. Everything else is either an error (1002 protocol error, 1003 unsupported data,
 * 1007 invalid payload, 1008 policy violation, 1009 too big, 1010 missing extension, 1011
 * internal error, 1014 bad gateway) or must never appear on the wire at all (§7.4.1–§7.4.2:
 * 0–999, 1004, 1005, 1006, 1015, other unassigned 1016–2999, 5000 and up), so that sending
 * it is itself a protocol error.
 */
export function isNormalCloseCode(code: number): boolean {
  return (
    code === 1000 ||
    code === 1001 ||
    code === 1012 ||
    code === 1013 ||
    (code >= 3000 && code <= 4999)
  );
}

/**
 * A connection ended cleanly when both sides sent a close frame before TCP closed, and the
 * first close frame was well formed and said "normal": no payload at all (no status; the API
 * reports 1005, which is itself never sent), or a normal code (`isNormalCloseCode`) with a
 * UTF-8 reason.
 */
export function isCleanEnd(end: {
  /** Close frames crossed both ways. */
  bothClosed: boolean;
  /** The first close frame seen, either way. */
  first: CloseFrameFacts | undefined;
}): boolean {
  const { bothClosed, first } = end;
  if (!bothClosed || first === undefined) return false;
  if (first.payloadLength === 0) return true;
  return first.code !== undefined && isNormalCloseCode(first.code) && first.reasonIsUtf8;
}
