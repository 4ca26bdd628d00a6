/**
 * The browser's WebSocket, kept outside React: one socket per card, whose events are written
 * into the connections store (state) and the card's message log (entries).
 */
import { formatHex, utf8ByteLength } from "../protocol/binary-text.ts";
import { parseSubprotocolList } from "../protocol/subprotocol.ts";
import {
  type CardState,
  type ReadyStateName,
  useConnections,
} from "../stores/connections-store.ts";
import { frameLogFor } from "../stores/frame-logs.ts";
import { type MessageEntry, messageLogFor, PREVIEW_CHARS } from "../stores/message-logs.ts";
import { closeInspector, newTapId, openInspector, settleServerRecord } from "./inspector-client.ts";

const sockets = new Map<string, WebSocket>();
let seq = 0;

const READY_STATES: readonly ReadyStateName[] = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];

function log(cardId: string, entry: Omit<MessageEntry, "seq" | "at" | "attempt">): void {
  seq += 1;
  const attempt = useConnections.getState().cards[cardId]?.attempt ?? 0;
  messageLogFor(cardId).push({ seq, at: Date.now(), attempt, ...entry });
}

/** Starts attempt `attempt`'s section in both of the card's logs. */
function startSection(cardId: string, attempt: number, url: string): void {
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

function patch(cardId: string, values: Partial<CardState>) {
  useConnections.getState().patchCard(cardId, values);
}

export function connect(cardId: string): void {
  const card = useConnections.getState().cards[cardId];
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
  });
}

/**
 * Starts the closing handshake. Returns an error message when the browser refuses the code
 * or reason (only 1000 and 3000–4999, and at most 123 bytes of reason, are allowed).
 */
export function disconnect(cardId: string, code?: number, reason?: string): string | undefined {
  const ws = sockets.get(cardId);
  if (!ws || ws.readyState >= WebSocket.CLOSING) return undefined;
  try {
    ws.close(code, reason);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
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
  sockets.delete(cardId);
  closeInspector(cardId);
}

/**
 * A connection to the companion server (the page's own host) is tapped, so the server can
 * report its frames: the URL gets `tap=ID` unless it has one. Other servers are left alone.
 */
function tapFor(url: string): { url: string; tapId: string } {
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
