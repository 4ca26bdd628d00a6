/**
 * What the page shows of each card's mux.v1 channels: one lane per channel with its latest
 * messages, and the errors about no channel. Written by features/mux/card-mux.ts (which holds
 * the mux client, outside React); read by the lanes one value at a time.
 *
 * Also the one place the mux feature learns about the card's WebSocket: the owner of the
 * sockets registers a `CardSocketSource` (see `provideCardSockets`).
 */
import { create } from "zustand";
import type { MuxParams } from "../protocol/mux-envelope.ts";

/** Lines a lane keeps: the newest. */
export const LANE_MESSAGE_LIMIT = 200;
/** Connection-level errors a card keeps: the newest. */
export const MUX_ERROR_LIMIT = 20;

export type LaneState = "opening" | "open" | "closing" | "suspended" | "closed";

export interface LaneLine {
  seq: number;
  at: number;
  /** `out` is to server, `in` to client, `event` a state change, `error` an error envelope. */
  kind: "out" | "in" | "event" | "error";
  text: string;
}

/** Head-of-line figures of a clock lane (ms). */
export interface ClockLateness {
  /** The last tick's lateness: its transit time minus the fastest transit seen. */
  lastMs: number;
  /** The largest lateness since the last big send (or since the lane opened). */
  maxMs: number;
}

export interface Lane {
  ch: number;
  service: string;
  params: MuxParams;
  state: LaneState;
  lines: LaneLine[];
  lateness?: ClockLateness;
  /** The round trip of the last big message on an echo lane, once it came back. */
  bigRoundTripMs?: number;
  /** When the big message went out, until it comes back. */
  bigSentAt?: number;
}

export interface CardMux {
  /** Lane ids, in the order they were opened (closed lanes stay until dismissed). */
  order: number[];
  lanes: Record<number, Lane>;
  errors: LaneLine[];
}

interface MuxStoreState {
  cards: Record<string, CardMux>;
  /** Adds or replaces lane `ch` (a new channel may reuse a dismissed lane's id). */
  putLane(cardId: string, lane: Omit<Lane, "lines">): void;
  patchLane(cardId: string, ch: number, patch: Partial<Omit<Lane, "ch" | "lines">>): void;
  addLine(cardId: string, ch: number, line: Omit<LaneLine, "seq" | "at">): void;
  addError(cardId: string, text: string): void;
  /** Removes a closed lane from the page. */
  dismissLane(cardId: string, ch: number): void;
  dropCard(cardId: string): void;
}

const EMPTY: CardMux = { order: [], lanes: {}, errors: [] };
let seq = 0;

function withCard(
  state: MuxStoreState,
  cardId: string,
  change: (card: CardMux) => CardMux,
): Partial<MuxStoreState> {
  return { cards: { ...state.cards, [cardId]: change(state.cards[cardId] ?? EMPTY) } };
}

export const useMux = create<MuxStoreState>()((set) => ({
  cards: {},
  putLane(cardId, lane) {
    set((state) =>
      withCard(state, cardId, (card) => ({
        ...card,
        order: card.lanes[lane.ch] ? card.order : [...card.order, lane.ch],
        lanes: { ...card.lanes, [lane.ch]: { ...lane, lines: [] } },
      })),
    );
  },
  patchLane(cardId, ch, patch) {
    set((state) =>
      withCard(state, cardId, (card) => {
        const lane = card.lanes[ch];
        if (!lane) return card;
        return { ...card, lanes: { ...card.lanes, [ch]: { ...lane, ...patch } } };
      }),
    );
  },
  addLine(cardId, ch, line) {
    seq += 1;
    const entry = { seq, at: Date.now(), ...line };
    set((state) =>
      withCard(state, cardId, (card) => {
        const lane = card.lanes[ch];
        if (!lane) return card;
        const lines = [...lane.lines.slice(1 - LANE_MESSAGE_LIMIT), entry];
        return { ...card, lanes: { ...card.lanes, [ch]: { ...lane, lines } } };
      }),
    );
  },
  addError(cardId, text) {
    seq += 1;
    const entry: LaneLine = { seq, at: Date.now(), kind: "error", text };
    set((state) =>
      withCard(state, cardId, (card) => ({
        ...card,
        errors: [...card.errors.slice(1 - MUX_ERROR_LIMIT), entry],
      })),
    );
  },
  dismissLane(cardId, ch) {
    set((state) =>
      withCard(state, cardId, (card) => {
        const { [ch]: _dismissed, ...lanes } = card.lanes;
        return { ...card, lanes, order: card.order.filter((other) => other !== ch) };
      }),
    );
  },
  dropCard(cardId) {
    set((state) => {
      const { [cardId]: _dropped, ...cards } = state.cards;
      return { cards };
    });
  },
}));

/** Lane ids of a card, in order (a stable array while they do not change). */
export function useLaneOrder(cardId: string): number[] {
  return useMux((state) => state.cards[cardId]?.order ?? EMPTY.order);
}

export function useLane(cardId: string, ch: number): Lane | undefined {
  return useMux((state) => state.cards[cardId]?.lanes[ch]);
}

export function useMuxErrors(cardId: string): LaneLine[] {
  return useMux((state) => state.cards[cardId]?.errors ?? EMPTY.errors);
}

// -------------------------------------------------------------------------------------------
// The card's socket, as the mux feature sees it

/** What the mux lanes need of a card's WebSocket (the browser's `WebSocket` fits). */
export interface CardSocket {
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: string, listener: (event: { data: unknown }) => void): void;
}

/**
 * How the mux feature reaches a card's socket without owning it. Registered once by the
 * code that owns the sockets (connections/raw-socket.ts), e.g.
 *   provideCardSockets({ socketOf: (cardId) => sockets.get(cardId), send });
 */
export interface CardSocketSource {
  /** The card's current socket (a new one after each connection attempt), if any. */
  socketOf(cardId: string): CardSocket | undefined;
  /** Sends through the card's connection so its message log shows what was sent (optional). */
  send?(cardId: string, data: string | Uint8Array): void;
}

let cardSockets: CardSocketSource | undefined;

export function provideCardSockets(source: CardSocketSource): void {
  cardSockets = source;
}

export function cardSocketSource(): CardSocketSource | undefined {
  return cardSockets;
}

// -------------------------------------------------------------------------------------------
// Lanes a scenario asks for, until the card's lanes are shown

/** A channel as a scenario describes it: its service and open parameters. */
export interface PlannedLane {
  service: string;
  params: MuxParams;
}

const plannedLanes = new Map<string, PlannedLane[]>();

/** Channels to open once the card's lanes are shown (a scenario was opened). */
export function planLanes(cardId: string, lanes: PlannedLane[]): void {
  if (lanes.length > 0) plannedLanes.set(cardId, lanes);
  else plannedLanes.delete(cardId);
}

/** Takes the planned channels of a card (they are opened once). */
export function takePlannedLanes(cardId: string): PlannedLane[] {
  const lanes = plannedLanes.get(cardId) ?? [];
  plannedLanes.delete(cardId);
  return lanes;
}

/**
 * The channels a scenario should keep for a card: those still planned, else the lanes on the
 * page (a closed lane too, until it is dismissed: it is still shown), in the order they were
 * opened.
 */
export function lanesOfCard(cardId: string): PlannedLane[] {
  const planned = plannedLanes.get(cardId);
  if (planned) return planned;
  const card = useMux.getState().cards[cardId];
  if (!card) return [];
  return card.order
    .map((ch) => card.lanes[ch])
    .filter((lane): lane is Lane => lane !== undefined)
    .map((lane) => ({ service: lane.service, params: lane.params }));
}
