/**
 * The browser's WebSocket, kept outside React: one socket per card, whose events are written
 * into the connections store (state) and the card's message log (entries).
 */
import { formatHex, utf8ByteLength } from "../protocol/binary-text.ts";
import { parseSubprotocolList } from "../protocol/subprotocol.ts";
import type { ReadyStateName } from "../stores/connections-store.ts";
import { PREVIEW_CHARS } from "../stores/message-logs.ts";
import { provideCardSockets } from "../stores/mux-store.ts";
import {
  addToTimeline,
  cardOf,
  logMessage as log,
  patchCard as patch,
  startSection,
  tapFor,
} from "./card-events.ts";
import type { Connection } from "./connection.ts";
import { closeInspector, openInspector, settleServerRecord } from "./inspector-client.ts";
import { RECONNECT_MAX_ATTEMPTS, reconnectDelay, shouldReconnect } from "./reconnect-policy.ts";

const sockets = new Map<string, WebSocket>();
/** Sockets the page itself closed: their close is never a reason to reconnect. */
const closedByPage = new WeakSet<WebSocket>();
/** Per card: reconnection attempts since the last open, and the timer of the next one. */
const retries = new Map<string, { count: number; timer?: ReturnType<typeof setTimeout> }>();

const READY_STATES: readonly ReadyStateName[] = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];

/** Stops a scheduled reconnection attempt, if any; says so on the timeline. */
function cancelRetry(cardId: string): void {
  const pending = retries.get(cardId);
  if (pending?.timer === undefined) return;
  clearTimeout(pending.timer);
  pending.timer = undefined;
  const card = cardOf(cardId);
  patch(cardId, { retryAt: undefined });
  addToTimeline(cardId, { kind: "cancelled", at: Date.now(), attempt: card?.attempt ?? 0 });
}

/** Turns reconnection on or off; off also stops a scheduled attempt. */
export function setReconnect(cardId: string, on: boolean): void {
  patch(cardId, { reconnect: on });
  if (!on) cancelRetry(cardId);
}

/** After a close, schedules the next attempt when the card reconnects and the close calls for it. */
function maybeReconnect(cardId: string, ws: WebSocket, code: number): void {
  const card = cardOf(cardId);
  if (!card?.reconnect) return;
  if (!shouldReconnect({ code, closedByPage: closedByPage.has(ws) })) return;
  const state = retries.get(cardId) ?? { count: 0 };
  retries.set(cardId, state);
  state.count += 1;
  const at = Date.now();
  if (state.count > RECONNECT_MAX_ATTEMPTS) {
    addToTimeline(cardId, {
      kind: "gave-up",
      at,
      attempt: card.attempt,
      retries: RECONNECT_MAX_ATTEMPTS,
    });
    state.count = 0;
    return;
  }
  const delayMs = reconnectDelay(state.count, Math.random());
  addToTimeline(cardId, {
    kind: "retry",
    at,
    attempt: card.attempt,
    delayMs,
    retry: state.count,
    of: RECONNECT_MAX_ATTEMPTS,
  });
  patch(cardId, { retryAt: at + delayMs });
  state.timer = setTimeout(() => {
    state.timer = undefined;
    patch(cardId, { retryAt: undefined });
    open(cardId, state.count);
  }, delayMs);
}

/** Connects by hand: a scheduled reconnection attempt is replaced, and the retry count restarts. */
export function connect(cardId: string): void {
  cancelRetry(cardId);
  retries.delete(cardId);
  open(cardId, 0);
}

/** Opens attempt card.attempt + 1; `retry` is 0 by hand, else its number since the last drop. */
function open(cardId: string, retry: number): void {
  const card = cardOf(cardId);
  if (!card) return;
  disconnect(cardId);
  const offered = parseSubprotocolList(card.subprotocolsText);
  const tapped = tapFor(card.url);
  const number = card.attempt + 1;
  const attempt = {
    attempted: true,
    attempt: number,
    serverRecord: tapped.tapId ? ("waiting" as const) : ("untapped" as const),
    opened: false,
    offered,
    attemptUrl: tapped.url,
    tapId: tapped.tapId,
    handshake: null,
    protocol: "",
    extensions: "",
    close: null,
    constructError: undefined,
  };
  let ws: WebSocket;
  try {
    ws = new WebSocket(tapped.url, offered);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    patch(cardId, {
      ...attempt,
      serverRecord: "untapped",
      readyState: "CLOSED",
      constructError: message,
    });
    startSection(cardId, number, tapped.url);
    log(cardId, {
      dir: "event",
      kind: "error",
      size: 0,
      preview: `new WebSocket() threw: ${message}`,
    });
    return;
  }
  ws.binaryType = "arraybuffer";
  sockets.set(cardId, ws);
  patch(cardId, { ...attempt, readyState: "CONNECTING" });
  addToTimeline(cardId, {
    kind: "connecting",
    at: Date.now(),
    attempt: number,
    url: tapped.url,
    retry,
  });
  startSection(cardId, number, tapped.url);
  if (tapped.tapId) openInspector(cardId, tapped.url, tapped.tapId, number);

  ws.addEventListener("open", () => {
    patch(cardId, {
      readyState: READY_STATES[ws.readyState],
      opened: true,
      protocol: ws.protocol,
      extensions: ws.extensions,
    });
    const protocol = ws.protocol ? ` · protocol ${ws.protocol}` : "";
    log(cardId, { dir: "event", kind: "open", size: 0, preview: `open${protocol}` });
    // A connection that opened starts the retry count anew.
    retries.delete(cardId);
    addToTimeline(cardId, { kind: "open", at: Date.now(), attempt: number });
  });
  ws.addEventListener("message", (event: MessageEvent<string | ArrayBuffer>) => {
    log(cardId, { dir: "in", ...describePayload(event.data) });
  });
  ws.addEventListener("error", () => {
    log(cardId, {
      dir: "event",
      kind: "error",
      size: 0,
      preview: "error event (the browser gives no details)",
    });
  });
  ws.addEventListener("close", (event) => {
    if (sockets.get(cardId) === ws) sockets.delete(cardId);
    patch(cardId, {
      readyState: "CLOSED",
      close: { code: event.code, reason: event.reason, wasClean: event.wasClean },
    });
    const reason = event.reason ? ` · ${event.reason}` : "";
    log(cardId, {
      dir: "event",
      kind: "close",
      size: 0,
      preview: `close ${event.code}${reason} · wasClean ${event.wasClean}`,
    });
    if (tapped.tapId) void settleServerRecord(cardId, number);
    addToTimeline(cardId, {
      kind: "close",
      at: Date.now(),
      attempt: number,
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
    });
    maybeReconnect(cardId, ws, event.code);
  });
}

/**
 * Starts the closing handshake. Returns an error message when the browser refuses the code
 * or reason (only 1000 and 3000–4999, and at most 123 bytes of reason, are allowed).
 */
export function disconnect(cardId: string, code?: number, reason?: string): string | undefined {
  cancelRetry(cardId);
  const ws = sockets.get(cardId);
  if (!ws || ws.readyState >= WebSocket.CLOSING) return undefined;
  try {
    ws.close(code, reason);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  closedByPage.add(ws);
  patch(cardId, { readyState: READY_STATES[ws.readyState] });
  return undefined;
}

/** Sends `payload` `times` times, logging each send. */
export function send(cardId: string, payload: string | Uint8Array, times = 1): void {
  const ws = sockets.get(cardId);
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  const entry = describePayload(payload);
  for (let index = 0; index < times; index += 1) {
    ws.send(payload);
    log(cardId, { dir: "out", ...entry });
  }
}

export function forget(cardId: string): void {
  disconnect(cardId, 1000, "Card removed");
  retries.delete(cardId);
  sockets.delete(cardId);
  closeInspector(cardId);
}

function describePayload(data: string | ArrayBuffer | Uint8Array) {
  if (typeof data === "string") {
    return {
      kind: "text" as const,
      size: utf8ByteLength(data),
      preview: data.length > PREVIEW_CHARS ? `${data.slice(0, PREVIEW_CHARS)}…` : data,
    };
  }
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  return { kind: "binary" as const, size: bytes.length, preview: formatHex(bytes, 64) };
}

/** The raw WebSocket behind the card's `Connection` (connection.ts). */
export const rawWebSocketConnection: Connection = {
  mode: "websocket",
  connect,
  close: disconnect,
  send(cardId, message) {
    if (message.type === "raw") {
      send(cardId, message.payload, message.times);
      return;
    }
    log(cardId, {
      dir: "event",
      kind: "error",
      size: 0,
      preview: `Not sent: a raw WebSocket has no events (${message.event}); switch on Socket.IO.`,
    });
  },
  setReconnect,
  forget,
};

// The mux lanes ride the card's own socket: they send through it, so the message log shows
// what they sent.
provideCardSockets({
  socketOf: (cardId) => sockets.get(cardId),
  send: (cardId, data) => send(cardId, data),
});
