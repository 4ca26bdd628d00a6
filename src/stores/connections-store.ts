import { create } from "zustand";
import type { HandshakeEvent } from "../protocol/inspector-events.ts";

export type ReadyStateName = "CONNECTING" | "OPEN" | "CLOSING" | "CLOSED";

/** What carries the card's messages: a raw WebSocket, or Socket.IO over Engine.IO. */
export type ConnectionMode = "websocket" | "socketio";

/**
 * How Engine.IO may carry Socket.IO: `polling-upgrade` (HTTP long-polling first, then the
 * upgrade to WebSocket: socket.io-client's default) or `websocket` (WebSocket from the start).
 */
export type SocketIoTransports = "polling-upgrade" | "websocket";

/** What the person chose for the card's Socket.IO mode. */
export interface SocketIoSettings {
  /** The server's URL (http, https, ws or wss); Socket.IO adds its path `/socket.io/`. */
  url: string;
  /** The namespaces to open over the one Manager, comma-separated. */
  namespacesText: string;
  transports: SocketIoTransports;
  /** The auth payload as typed (a JSON object, or empty for none), sent in each CONNECT packet. */
  authText: string;
  /** Which events the namespaces report: every one (`onAny`) or only those named below. */
  listen: SocketIoListen;
  /** The event names listened to when `listen` is "named", comma-separated. */
  listenEventsText: string;
}

/** `all`: one `onAny` listener sees every event; `named`: a `socket.on(name)` per named event. */
export type SocketIoListen = "all" | "named";

/** The one Engine.IO connection under a Socket.IO card, as the client reports it. */
export interface EngineState {
  /** Engine.IO's session id (`sid`), shared by every namespace of the Manager. */
  sid: string;
  /** The transport in use now. */
  transport: "polling" | "websocket" | string;
  /** Set while an upgrade is being probed: the transport it may move to. */
  upgrading: string | undefined;
  /** When the transport changed (ms since the epoch), e.g. polling → websocket. */
  upgradedAt: number | undefined;
}

/** One Socket.IO namespace of the card (a Socket over the shared Manager). */
export interface NamespaceState {
  name: string;
  connected: boolean;
  /** The namespace socket's own id (each namespace has one), "" until connected. */
  socketId: string;
  /** The Engine.IO session the namespace connected over. */
  engineSid: string;
  /** Why it last failed to connect or disconnected, if it did. */
  problem: string | undefined;
}

/** How the message composer reads its text: the first two as text frames, the others as binary. */
export type ComposerFormat = "text" | "json" | "hex" | "base64";

/** What is typed in a raw card's message composer. */
export interface ComposerDraft {
  format: ComposerFormat;
  text: string;
  /** How many times Send sends it (NaN while the field is empty). */
  times: number;
}

/** What is typed in a Socket.IO card's event composer. */
export interface EmitDraft {
  namespace: string;
  event: string;
  /** The arguments as typed: JSON values (or hex:/base64: binary), comma-separated. */
  argsText: string;
  ack: boolean;
}

export const DEFAULT_COMPOSER: ComposerDraft = {
  format: "text",
  text: "Hello, WebSocket!",
  times: 1,
};
export const DEFAULT_EMIT: EmitDraft = {
  namespace: "/",
  event: "message",
  argsText: '"Hello"',
  ack: false,
};

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

/** One connection card: what the person typed and what the socket reported. */
export interface CardState {
  id: string;
  mode: ConnectionMode;
  socketIo: SocketIoSettings;
  /** The Engine.IO connection of the current or last Socket.IO attempt; null before one opens. */
  engine: EngineState | null;
  /** The Socket.IO namespaces of the current or last attempt, in the order they were asked for. */
  namespaces: NamespaceState[];
  /** Set when the Socket.IO client could not be downloaded. */
  socketIoLoadError: string | undefined;
  /** Ordinal shown in the card title ("Connection 2"). */
  number: number;
  url: string;
  /** The subprotocol list as typed: comma-separated, most preferred first. */
  subprotocolsText: string;
  /** What is typed in the message composer (raw WebSocket mode). */
  composer: ComposerDraft;
  /** What is typed in the event composer (Socket.IO mode). */
  emit: EmitDraft;
  readyState: ReadyStateName;
  /** Whether the current or last attempt has been started. */
  attempted: boolean;
  /** The number of the current or last attempt (1, 2, …): each is a section of both logs. */
  attempt: number;
  /** Whether the current or last attempt reached OPEN. */
  opened: boolean;
  /** What the last attempt offered and where it went. */
  offered: string[];
  attemptUrl: string;
  protocol: string;
  extensions: string;
  close: CloseInfo | null;
  constructError: string | undefined;
  /** The tap id of the last attempt, when the companion server records it ("" otherwise). */
  tapId: string;
  /** The handshake as the server's tap saw it cross the wire. */
  handshake: HandshakeEvent | null;
  /**
   * What the companion server knows of this attempt: `untapped` (another server, or no
   * attempt), `waiting` (no record yet), `recorded` (its handshake event arrived, in
   * `handshake`), `absent` (the attempt is over and the server confirmed it never received a
   * handshake request for its tap: nothing reached it as HTTP, e.g. TLS to a plain port),
   * `unreadable` (the attempt is over without a record and the page could not ask the server:
   * whether a request reached it is unknown, and the page says so).
   */
  serverRecord: ServerRecord;
  /** Reconnect by itself after a drop (backoff in connections/reconnect-policy.ts). */
  reconnect: boolean;
  /** Attempts, opens, closes and scheduled retries, oldest first. */
  timeline: TimelineEntry[];
  /** When a scheduled reconnection attempt will start (ms since the epoch), if one is. */
  retryAt: number | undefined;
}

export type ServerRecord = "untapped" | "waiting" | "recorded" | "absent" | "unreadable";

/** One event on a card's reconnect timeline. `attempt` is the card's attempt number. */
export type TimelineEntry =
  | { kind: "connecting"; at: number; attempt: number; url: string; retry: number }
  | { kind: "open"; at: number; attempt: number }
  | { kind: "close"; at: number; attempt: number; code: number; reason: string; wasClean: boolean }
  | { kind: "retry"; at: number; attempt: number; delayMs: number; retry: number; of: number }
  | { kind: "gave-up"; at: number; attempt: number; retries: number }
  | { kind: "cancelled"; at: number; attempt: number }
  | SocketIoTimelineEntry;

/**
 * What Socket.IO's own Manager reports about its reconnection (it reconnects by itself, with
 * its own backoff: the page only listens). `waitedMs` is the time since the failure before.
 */
export type SocketIoTimelineEntry =
  | { kind: "sio-close"; at: number; attempt: number; reason: string }
  | {
      kind: "sio-reconnect-attempt";
      at: number;
      attempt: number;
      retry: number;
      waitedMs: number | undefined;
    }
  | { kind: "sio-reconnect-error"; at: number; attempt: number; message: string }
  | { kind: "sio-reconnect"; at: number; attempt: number; retries: number }
  | { kind: "sio-reconnect-failed"; at: number; attempt: number };

/** Timeline entries a card keeps: the newest. */
export const TIMELINE_LIMIT = 100;

/** What a new card may be given; everything else starts fresh. */
export type CardInit = Partial<
  Pick<
    CardState,
    "url" | "subprotocolsText" | "mode" | "socketIo" | "composer" | "emit" | "reconnect"
  >
>;

interface ConnectionsState {
  cards: Record<string, CardState>;
  order: string[];
  addCard(init?: CardInit): string;
  removeCard(id: string): void;
  patchCard(id: string, patch: Partial<CardState>): void;
}

/**
 * Card ids are never reused in a page's life (a late event of a removed card must not reach a
 * new one); the number shown ("Connection 2") is one more than the highest on the page, so a
 * scenario opened in place of every card starts again at 1.
 */
let nextId = 1;

export function defaultSocketUrl(path = "/echo"): string {
  if (typeof location === "undefined") return `ws://127.0.0.1:8000${path}`;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/** The page's own server over HTTP(S): where Socket.IO is served by default. */
export function defaultSocketIoUrl(): string {
  if (typeof location === "undefined") return "http://127.0.0.1:8000";
  return location.origin;
}

export const DEFAULT_SOCKET_IO_SETTINGS: Omit<SocketIoSettings, "url"> = {
  namespacesText: "/, /chat, /news",
  transports: "polling-upgrade",
  authText: "",
  listen: "all",
  listenEventsText: "message, said",
};

export const useConnections = create<ConnectionsState>()((set, get) => ({
  cards: {},
  order: [],
  addCard(init = {}) {
    const id = `c${nextId++}`;
    const { order, cards } = get();
    const number = Math.max(0, ...order.map((other) => cards[other]?.number ?? 0)) + 1;
    const card: CardState = {
      id,
      number,
      mode: init.mode ?? "websocket",
      socketIo: init.socketIo ?? { url: defaultSocketIoUrl(), ...DEFAULT_SOCKET_IO_SETTINGS },
      engine: null,
      namespaces: [],
      socketIoLoadError: undefined,
      url: init.url ?? defaultSocketUrl(),
      subprotocolsText: init.subprotocolsText ?? "",
      composer: init.composer ?? DEFAULT_COMPOSER,
      emit: init.emit ?? DEFAULT_EMIT,
      readyState: "CLOSED",
      attempted: false,
      attempt: 0,
      opened: false,
      offered: [],
      attemptUrl: "",
      protocol: "",
      extensions: "",
      close: null,
      constructError: undefined,
      tapId: "",
      handshake: null,
      serverRecord: "untapped",
      reconnect: init.reconnect ?? false,
      timeline: [],
      retryAt: undefined,
    };
    set((state) => ({ cards: { ...state.cards, [id]: card }, order: [...state.order, id] }));
    return id;
  },
  removeCard(id) {
    set((state) => {
      const { [id]: _removed, ...cards } = state.cards;
      return { cards, order: state.order.filter((other) => other !== id) };
    });
  },
  patchCard(id, patch) {
    set((state) => {
      const card = state.cards[id];
      if (!card) return state;
      return { cards: { ...state.cards, [id]: { ...card, ...patch } } };
    });
  },
}));

/** Selects one field of one card, so a component re-renders only when that field changes. */
export function useCardField<K extends keyof CardState>(id: string, key: K): CardState[K] {
  return useConnections((state) => {
    const card = state.cards[id];
    if (!card) throw new Error(`no card ${id}`);
    return card[key];
  });
}
