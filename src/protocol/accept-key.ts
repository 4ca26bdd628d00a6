import { sha1 } from "./sha1.ts";

/** The GUID RFC 6455 §1.3 appends to the client's key. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/**
 * The Sec-WebSocket-Accept a server must answer for a Sec-WebSocket-Key:
 * base64(SHA-1(key + GUID)). It proves the server read this very handshake (RFC 6455 §4.2.2).
 *
 * Always the page's own SHA-1, never `crypto.subtle`: that one exists only in a secure
 * context, and a page opened from a LAN address over plain HTTP is not one. Hashing 60 bytes
 * in plain code takes microseconds, and being synchronous it needs no effect to wait for.
 */
export function expectedAccept(key: string): string {
  let binary = "";
  for (const byte of sha1(new TextEncoder().encode(key + WEBSOCKET_GUID))) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}
