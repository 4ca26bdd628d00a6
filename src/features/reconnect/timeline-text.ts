import { closeCodeName } from "../../protocol/close-codes.ts";
import type { TimelineEntry } from "../../stores/connections-store.ts";

/** What the Manager's close reasons mean (engine.io-client's names). */
const SOCKET_IO_CLOSE_REASONS: Record<string, string> = {
  "transport close": "The connection was closed (by the server, or a drop).",
  "transport error": "The connection failed (the server went away, or a network error).",
  "ping timeout": "The server's heartbeat stopped arriving.",
  "forced close": "This page closed it.",
  "parse error": "The server sent a packet the client could not read.",
};

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
      // The code's name only: what it means, who may send it and whether it can travel are
      // explained once per code below the timeline.
      return `Attempt ${entry.attempt}: closed ${entry.code}${reason}, wasClean ${entry.wasClean}. ${closeCodeName(entry.code)}.`;
    }
    case "retry":
      return `Reconnecting in ${seconds(entry.delayMs)} (reconnection ${entry.retry} of ${entry.of})`;
    case "gave-up":
      return `Gave up after ${entry.retries} reconnections: connect again by hand.`;
    case "cancelled":
      return "The scheduled reconnection was cancelled.";
    case "sio-close":
      return `Socket.IO: attempt ${entry.attempt} closed (${entry.reason}). ${SOCKET_IO_CLOSE_REASONS[entry.reason] ?? ""}`.trimEnd();
    case "sio-reconnect-attempt": {
      const waited =
        entry.waitedMs === undefined ? "" : ` after waiting ${seconds(entry.waitedMs)}`;
      return `Socket.IO reconnect_attempt ${entry.retry}${waited}: attempt ${entry.attempt} connecting`;
    }
    case "sio-reconnect-error":
      return `Socket.IO reconnect_error: ${entry.message}`;
    case "sio-reconnect":
      return `Socket.IO reconnect: back after ${entry.retries} ${entry.retries === 1 ? "attempt" : "attempts"}, every namespace reconnected over a new Engine.IO connection`;
    case "sio-reconnect-failed":
      return "Socket.IO reconnect_failed: the Manager gave up; connect again by hand.";
  }
}
