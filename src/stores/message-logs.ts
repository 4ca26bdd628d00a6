import { LogStore } from "./log-store.ts";

/** One line of the message log: what the page's JavaScript saw. */
export interface MessageEntry {
  seq: number;
  /** The card's connection attempt this entry belongs to (1, 2, …). */
  attempt: number;
  /** Milliseconds since the epoch. */
  at: number;
  /** `section` starts an attempt's section: its preview is the URL. */
  dir: "out" | "in" | "event" | "section";
  /** `event` is a Socket.IO event, `ack` the answer to one; `upgrade` an Engine.IO transport change. */
  kind: "text" | "binary" | "open" | "close" | "error" | "attempt" | "event" | "ack" | "upgrade";
  /** The Socket.IO namespace the entry belongs to (`/`, `/chat`…); absent for raw WebSockets. */
  namespace?: string;
  /** Bytes of the message (UTF-8 for text); 0 for events. */
  size: number;
  /** The content, cut to PREVIEW_CHARS (hex for binary). */
  preview: string;
}

/** Longer texts are cut: 100,000 entries must stay well under the heap budget. */
export const PREVIEW_CHARS = 300;

const logs = new Map<string, LogStore<MessageEntry>>();

export function messageLogFor(cardId: string): LogStore<MessageEntry> {
  let log = logs.get(cardId);
  if (!log) {
    log = new LogStore<MessageEntry>({
      isCounted: (entry) => entry.dir === "in" || entry.dir === "out",
    });
    logs.set(cardId, log);
  }
  return log;
}

export function dropMessageLog(cardId: string): void {
  logs.delete(cardId);
}
