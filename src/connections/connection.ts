/**
 * The one interface a connection card talks to, whatever carries its messages: a raw
 * WebSocket (raw-socket.ts) or Socket.IO (socketio-connection.ts, loaded with its client only
 * when a card first switches to Socket.IO). In the spirit of tldraw's
 * `TLPersistentClientSocket`: the card asks to connect, send and close, and reads status and
 * events from the stores the adapter writes to (connections store, message and frame logs),
 * never from the socket itself.
 */
import {
  type CardState,
  type ConnectionMode,
  useConnections,
} from "../stores/connections-store.ts";
import { rawWebSocketConnection } from "./raw-socket.ts";

export type { ConnectionMode };

/** What a card asks a connection to send: bytes or text for a raw WebSocket, an event for Socket.IO. */
export type OutgoingMessage =
  | { type: "raw"; payload: string | Uint8Array; times: number }
  | {
      type: "event";
      /** The Socket.IO namespace, e.g. `/chat`. */
      namespace: string;
      event: string;
      args: unknown[];
      /** Ask the server for an acknowledgement (shown with its round-trip time). */
      ack: boolean;
    };

export interface Connection {
  readonly mode: ConnectionMode;
  /** Starts a new attempt (closing the current one): a new section in both logs. */
  connect(cardId: string): void;
  /**
   * Closes the connection and stops any reconnection. Returns a message when the close cannot
   * be done as asked (the browser refused the code or reason; Socket.IO has no close codes).
   */
  close(cardId: string, code?: number, reason?: string): string | undefined;
  /** Sends a message; one of the other kind is refused with a message in the log. */
  send(cardId: string, message: OutgoingMessage): void;
  /** Turns reconnection after a drop on or off; off also stops a scheduled attempt. */
  setReconnect(cardId: string, on: boolean): void;
  /** Closes and lets go of everything the card held (the card is being removed). */
  forget(cardId: string): void;
}

/** The card's connection status now, whatever its mode (the adapters keep it in the store). */
export function connectionStatus(cardId: string): CardState["readyState"] | undefined {
  return useConnections.getState().cards[cardId]?.readyState;
}

/**
 * Calls `listener` whenever the card's status changes, e.g. for code outside React that waits
 * for OPEN; returns the unsubscribe. Messages arrive the same way, through the card's
 * message log (`messageLogFor(cardId).subscribe`).
 */
export function onConnectionStatusChange(
  cardId: string,
  listener: (status: CardState["readyState"]) => void,
): () => void {
  let last = connectionStatus(cardId);
  return useConnections.subscribe((state) => {
    const now = state.cards[cardId]?.readyState;
    if (now === undefined || now === last) return;
    last = now;
    listener(now);
  });
}

let socketIoConnection: Promise<Connection> | undefined;

/**
 * Loads the Socket.IO adapter and `socket.io-client` with it: a chunk of its own, requested the
 * first time a card switches to Socket.IO, so the initial bundle does not carry the client.
 */
export function loadSocketIoConnection(): Promise<Connection> {
  socketIoConnection ??= import("./socketio-connection.ts").then((m) => m.socketIoConnection);
  // A failed download may be tried again by the next switch.
  socketIoConnection.catch(() => {
    socketIoConnection = undefined;
  });
  return socketIoConnection;
}

function modeOf(cardId: string): ConnectionMode {
  return useConnections.getState().cards[cardId]?.mode ?? "websocket";
}

/**
 * Runs `action` on the card's connection: at once for a raw WebSocket (so Connect and Send act
 * in the same task), after the chunk has loaded for Socket.IO.
 */
export function withConnection(
  cardId: string,
  action: (connection: Connection) => void,
  mode: ConnectionMode = modeOf(cardId),
): void {
  if (mode === "websocket") {
    action(rawWebSocketConnection);
    return;
  }
  loadSocketIoConnection().then(action, (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    useConnections.getState().patchCard(cardId, { socketIoLoadError: message });
  });
}

/** Closes the card's connection, synchronously for a raw WebSocket (the close error is returned). */
export function closeConnection(
  cardId: string,
  code?: number,
  reason?: string,
): string | undefined {
  let error: string | undefined;
  withConnection(cardId, (connection) => {
    error = connection.close(cardId, code, reason);
  });
  return error;
}

/**
 * Switches the card between a raw WebSocket and Socket.IO: the current connection is closed
 * first (each mode has its own socket), and switching to Socket.IO starts loading its client.
 */
export function switchMode(cardId: string, mode: ConnectionMode): void {
  const card: CardState | undefined = useConnections.getState().cards[cardId];
  if (!card || card.mode === mode) return;
  withConnection(cardId, (connection) => connection.forget(cardId), card.mode);
  useConnections.getState().patchCard(cardId, {
    mode,
    readyState: "CLOSED",
    // Socket.IO reconnects by itself unless told not to: the card starts with its default.
    ...(mode === "socketio" ? { reconnect: true } : {}),
  });
  if (mode === "socketio") withConnection(cardId, () => {}, mode);
}
