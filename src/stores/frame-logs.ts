import type { FrameEvent } from "../protocol/inspector-events.ts";
import { LogStore } from "./log-store.ts";

const logs = new Map<string, LogStore<FrameEvent>>();

/** The frames the companion server saw on a card's connection, both directions. */
export function frameLogFor(cardId: string): LogStore<FrameEvent> {
  let log = logs.get(cardId);
  if (!log) {
    log = new LogStore<FrameEvent>();
    logs.set(cardId, log);
  }
  return log;
}

export function dropFrameLog(cardId: string): void {
  logs.delete(cardId);
}
