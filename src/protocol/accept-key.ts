/** The GUID RFC 6455 §1.3 appends to the client's key. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/**
 * The Sec-WebSocket-Accept a server must answer for a Sec-WebSocket-Key:
 * base64(SHA-1(key + GUID)). It proves the server read this very handshake (RFC 6455 §4.2.2).
 */
export async function expectedAccept(key: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-1",
    new TextEncoder().encode(key + WEBSOCKET_GUID),
  );
  let binary = "";
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
