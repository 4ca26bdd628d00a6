import { create } from "zustand";
import type { HandshakeEvent } from "../protocol/inspector-events.ts";

export type ReadyStateName = "CONNECTING" | "OPEN" | "CLOSING" | "CLOSED";

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

/** One connection card: what the person typed and what the socket reported. */
export interface CardState {
  id: string;
  /** Ordinal shown in the card title ("Connection 2"). */
  number: number;
  url: string;
  /** The subprotocol list as typed: comma-separated, most preferred first. */
  subprotocolsText: string;
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
   * handshake request for its tap: nothing reached it as HTTP, e.g. TLS to a plain port).
   */
  serverRecord: ServerRecord;
  /** Reconnect by itself after a drop (backoff in connections/reconnect-policy.ts). */
  reconnect: boolean;
  /** Attempts, opens, closes and scheduled retries, oldest first. */
  timeline: TimelineEntry[];
  /** When a scheduled reconnection attempt will start (ms since the epoch), if one is. */
  retryAt: number | undefined;
}

export type ServerRecord = "untapped" | "waiting" | "recorded" | "absent";

/** One event on a card's reconnect timeline. `attempt` is the card's attempt number. */
export type TimelineEntry =
  | { kind: "connecting"; at: number; attempt: number; url: string; retry: number }
  | { kind: "open"; at: number; attempt: number }
  | { kind: "close"; at: number; attempt: number; code: number; reason: string; wasClean: boolean }
  | { kind: "retry"; at: number; attempt: number; delayMs: number; retry: number; of: number }
  | { kind: "gave-up"; at: number; attempt: number; retries: number }
  | { kind: "cancelled"; at: number; attempt: number };

/** Timeline entries a card keeps: the newest. */
export const TIMELINE_LIMIT = 100;

interface ConnectionsState {
  cards: Record<string, CardState>;
  order: string[];
  addCard(init?: Partial<Pick<CardState, "url" | "subprotocolsText">>): string;
  removeCard(id: string): void;
  patchCard(id: string, patch: Partial<CardState>): void;
}

let nextNumber = 1;

export function defaultSocketUrl(path = "/echo"): string {
  if (typeof location === "undefined") return `ws://127.0.0.1:8000${path}`;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

export const useConnections = create<ConnectionsState>()((set) => ({
  cards: {},
  order: [],
  addCard(init = {}) {
    const number = nextNumber++;
    const id = `c${number}`;
    const card: CardState = {
      id,
      number,
      url: init.url ?? defaultSocketUrl(),
      subprotocolsText: init.subprotocolsText ?? "",
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
      reconnect: false,
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
