import { describeCloseCode } from "../../protocol/close-codes.ts";
import type { TimelineEntry } from "../../stores/connections-store.ts";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One timeline entry in plain words. */
export function timelineText(entry: TimelineEntry): string {
  switch (entry.kind) {
    case "connecting":
      return entry.retry === 0
        ? `Attempt ${entry.attempt}: connecting`
        : `Attempt ${entry.attempt}: connecting (reconnection ${entry.retry})`;
    case "open":
      return `Attempt ${entry.attempt}: open`;
    case "close": {
      const reason = entry.reason ? ` “${entry.reason}”` : "";
      return `Attempt ${entry.attempt}: closed ${entry.code}${reason}, wasClean ${entry.wasClean}. ${describeCloseCode(entry.code)}`;
    }
    case "retry":
      return `Reconnecting in ${seconds(entry.delayMs)} (reconnection ${entry.retry} of ${entry.of})`;
    case "gave-up":
      return `Gave up after ${entry.retries} reconnections: connect again by hand.`;
    case "cancelled":
      return "The scheduled reconnection was cancelled.";
  }
}
