/**
 * The page's side of the frame inspector: a second WebSocket to `/inspect?tap=ID` whose
 * events fill the card's frame log and handshake panel. Frames come as binary columnar
 * batches (see protocol/frame-batch.ts), which the frame log keeps as they are; everything
 * else comes as JSON text between them, in wire order: handshakes, ends, gaps, labelled
 * frames (a higher layer such as Socket.IO decoded their message) and HTTP exchanges
 * (Engine.IO long-polling), which become rows of their own.
 */
import { decodeFrameBatch } from "../protocol/frame-batch.ts";
import type { InspectorEvent } from "../protocol/inspector-events.ts";
import { useConnections } from "../stores/connections-store.ts";
import { frameLogFor } from "../stores/frame-logs.ts";

const inspectors = new Map<string, WebSocket>();

/** A fresh tap id: 16 URL-safe random characters. */
export function newTapId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

/** The inspector URL for a tapped socket URL on the companion server. */
export function inspectorUrl(socketUrl: string, tapId: string): string {
  const url = new URL(socketUrl);
  url.pathname = "/inspect";
  // Binary batches: JSON costs the page a parse and an object per frame, and at thousands of
  // frames a second that decides whether it keeps up.
  url.search = new URLSearchParams({ tap: tapId, format: "binary" }).toString();
  return url.toString();
}

/** Close codes an inspector ends with in the normal course of things. */
const NORMAL_INSPECTOR_CLOSES = new Set([1000, 1001, 1005]);

export function openInspector(
  cardId: string,
  socketUrl: string,
  tapId: string,
  attempt: number,
): void {
  closeInspector(cardId);
  const patch = useConnections.getState().patchCard;
  const frames = frameLogFor(cardId);
  const inspector = new WebSocket(inspectorUrl(socketUrl, tapId));
  inspector.binaryType = "arraybuffer";
  inspectors.set(cardId, inspector);
  const current = () => inspectors.get(cardId) === inspector;
  const problem = (text: string) =>
    frames.pushRow({ kind: "notice", attempt, at: Date.now(), text });

  // Engine.IO long-polling goes on when its upgrade to WebSocket was refused: that refused
  // connection's `end` does not end the attempt then.
  let sawHttp = false;
  let lastHandshakeStatus: number | undefined;
  const handle = (event: InspectorEvent) => {
    switch (event.type) {
      case "frame":
        frames.pushRow({ kind: "frame", attempt, event });
        break;
      case "gap":
        frames.pushRow({
          kind: "gap",
          attempt,
          at: event.at,
          frames: event.frames,
          kept: event.kept,
        });
        break;
      case "handshake":
        lastHandshakeStatus = event.response.status;
        patch(cardId, { handshake: event, serverRecord: "recorded" });
        break;
      case "http":
        sawHttp = true;
        // An Engine.IO long-polling request or its response: the server has this attempt.
        frames.pushRow({ kind: "http", attempt, event });
        if (useConnections.getState().cards[cardId]?.serverRecord === "waiting") {
          patch(cardId, { serverRecord: "recorded" });
        }
        break;
      case "end":
        if (sawHttp && lastHandshakeStatus !== 101) break;
        // Everything about this connection has been said.
        inspector.close(1000, "Connection ended");
        break;
    }
  };
  inspector.addEventListener("message", (message: MessageEvent<string | ArrayBuffer>) => {
    // A previous attempt's inspector may still deliver what it had in flight: not here.
    if (!current()) return;
    if (typeof message.data !== "string") {
      const decoded = decodeFrameBatch(message.data);
      if (decoded.ok) frames.pushBatch(decoded.batch, attempt, tapId);
      else problem(`The inspector sent a frame batch this page cannot read: ${decoded.error}`);
      return;
    }
    let parsed: InspectorEvent | InspectorEvent[];
    try {
      parsed = JSON.parse(message.data) as InspectorEvent | InspectorEvent[];
    } catch {
      problem("The inspector sent a message this page cannot read (not JSON).");
      return;
    }
    if (Array.isArray(parsed)) for (const event of parsed) handle(event);
    else handle(parsed);
  });
  inspector.addEventListener("close", (event) => {
    if (!current()) return;
    inspectors.delete(cardId);
    if (!NORMAL_INSPECTOR_CLOSES.has(event.code)) {
      const reason = event.reason ? `: ${event.reason}` : "";
      problem(
        `The frame inspector stopped (close ${event.code}${reason}); later frames are not shown.`,
      );
    }
  });
}

export function closeInspector(cardId: string): void {
  const inspector = inspectors.get(cardId);
  if (!inspector) return;
  inspectors.delete(cardId);
  if (inspector.readyState <= WebSocket.OPEN) inspector.close(1000, "Inspector no longer needed");
}

/**
 * Once an attempt is over without the server's handshake record, asks the server whether the
 * tap ever reached it: "not yet" (the record is on its way) and "never" (nothing reached the
 * server as HTTP, e.g. TLS to a plain port) look alike until then.
 */
export async function settleServerRecord(cardId: string, attempt: number): Promise<void> {
  const card = useConnections.getState().cards[cardId];
  if (!card || card.attempt !== attempt || card.serverRecord !== "waiting") return;
  let status: number | undefined;
  try {
    status = (await fetch(`/api/taps/${encodeURIComponent(card.tapId)}`)).status;
  } catch {
    status = undefined; // the server went away, or the network did.
  }
  const now = useConnections.getState().cards[cardId];
  if (now?.attempt !== attempt || now.serverRecord !== "waiting") return;
  // 200: the server has the tap, and its record is on its way through the inspector.
  if (status === 200) return;
  useConnections
    .getState()
    .patchCard(cardId, { serverRecord: status === 404 ? "absent" : "unreadable" });
}
