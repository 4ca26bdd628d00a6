/**
 * What every kind of connection writes about a card, outside React: state into the
 * connections store, entries into the card's message log, a section per attempt in both logs,
 * and the reconnect timeline. Shared by the raw WebSocket and the Socket.IO adapters so their
 * attempts, sections and timelines read the same.
 */
import {
  type CardState,
  TIMELINE_LIMIT,
  type TimelineEntry,
  useConnections,
} from "../stores/connections-store.ts";
import { frameLogFor } from "../stores/frame-logs.ts";
import { type MessageEntry, messageLogFor } from "../stores/message-logs.ts";
import { newTapId } from "./inspector-client.ts";

let seq = 0;

export function cardOf(cardId: string): CardState | undefined {
  return useConnections.getState().cards[cardId];
}

export function patchCard(cardId: string, values: Partial<CardState>): void {
  useConnections.getState().patchCard(cardId, values);
}

/** Appends an entry to the card's message log, in the card's current attempt. */
export function logMessage(cardId: string, entry: Omit<MessageEntry, "seq" | "at" | "attempt">) {
  seq += 1;
  const attempt = cardOf(cardId)?.attempt ?? 0;
  messageLogFor(cardId).push({ seq, at: Date.now(), attempt, ...entry });
}

/** Starts attempt `attempt`'s section in both of the card's logs. */
export function startSection(cardId: string, attempt: number, url: string): void {
  const at = Date.now();
  seq += 1;
  messageLogFor(cardId).push({
    seq,
    at,
    attempt,
    dir: "section",
    kind: "attempt",
    size: 0,
    preview: url,
  });
  frameLogFor(cardId).pushRow({ kind: "attempt", attempt, at, url, frames: 0 });
}

export function addToTimeline(cardId: string, entry: TimelineEntry): void {
  const card = cardOf(cardId);
  if (!card) return;
  patchCard(cardId, { timeline: [...card.timeline.slice(1 - TIMELINE_LIMIT), entry] });
}

/**
 * A connection to the companion server (the page's own host) is tapped, so the server can
 * report its frames: the URL gets `tap=ID` unless it has one. Other servers are left alone.
 */
export function tapFor(url: string): { url: string; tapId: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, tapId: "" };
  }
  if (parsed.host !== location.host || parsed.pathname === "/inspect") return { url, tapId: "" };
  const existing = parsed.searchParams.get("tap");
  if (existing) return { url, tapId: existing };
  const tapId = newTapId();
  parsed.searchParams.append("tap", tapId);
  return { url: parsed.toString(), tapId };
}
