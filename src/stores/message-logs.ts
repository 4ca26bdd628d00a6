import { LogStore } from "./log-store.ts";

/** One line of the message log: what the page's JavaScript saw. */
export interface MessageEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  dir: "out" | "in" | "event";
  kind: "text" | "binary" | "open" | "close" | "error";
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
    log = new LogStore<MessageEntry>({ isCounted: (entry) => entry.dir !== "event" });
    logs.set(cardId, log);
  }
  return log;
}

export function dropMessageLog(cardId: string): void {
  logs.delete(cardId);
}
