import { FrameStore } from "./frame-store.ts";

const logs = new Map<string, FrameStore>();

/** The frames the companion server saw on a card's connections, both directions. */
export function frameLogFor(cardId: string): FrameStore {
  let log = logs.get(cardId);
  if (!log) {
    log = new FrameStore();
    logs.set(cardId, log);
  }
  return log;
}

export function dropFrameLog(cardId: string): void {
  logs.delete(cardId);
}
