import type { HandshakeEvent } from "../../protocol/inspector-events.ts";

/** What the map needs of one card: its place on the page, its state and its handshake. */
export interface MapCard {
  /** 1-based position of the card on the page. */
  number: number;
  readyState: string;
  handshake: HandshakeEvent | null;
}

export interface MapWebSocket {
  card: number;
  path: string;
  readyState: string;
  /** The HTTP/2 stream id, for a WebSocket over HTTP/2. */
  stream: number | undefined;
}

/** One TCP connection as the server saw it, and the WebSockets it carried. */
export interface MapConnection {
  /** The server's id of the connection (`c3`). */
  id: string;
  transport: "h1" | "h2";
  webSockets: MapWebSocket[];
}

/**
 * Groups the cards' accepted handshakes by the TCP connection the server saw them on: one
 * connection per WebSocket over HTTP/1.1, several streams of one over HTTP/2. Refused
 * handshakes (any status but 101 or, over HTTP/2, 200) opened no WebSocket and are left out.
 */
export function mapConnections(cards: readonly MapCard[]): MapConnection[] {
  const byId = new Map<string, MapConnection>();
  for (const card of cards) {
    const handshake = card.handshake;
    if (!handshake) continue;
    const transport = handshake.transport ?? "h1";
    const accepted = handshake.response.status === (transport === "h2" ? 200 : 101);
    if (!accepted) continue;
    const key = `${transport}:${handshake.connection}`;
    let connection = byId.get(key);
    if (!connection) {
      connection = { id: handshake.connection, transport, webSockets: [] };
      byId.set(key, connection);
    }
    connection.webSockets.push({
      card: card.number,
      path: pathOf(handshake.request.url),
      readyState: card.readyState,
      stream: handshake.stream,
    });
  }
  return [...byId.values()];
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
