/**
 * The page's side of the frame inspector: a second WebSocket to `/inspect?tap=ID` whose
 * events fill the card's frame log and handshake panel.
 */
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
  // Batches: one message per event would cost the page a message event per frame.
  url.search = new URLSearchParams({ tap: tapId, batch: "1" }).toString();
  return url.toString();
}

export function openInspector(cardId: string, socketUrl: string, tapId: string): void {
  closeInspector(cardId);
  const patch = useConnections.getState().patchCard;
  const frames = frameLogFor(cardId);
  const inspector = new WebSocket(inspectorUrl(socketUrl, tapId));
  inspectors.set(cardId, inspector);
  const handle = (event: InspectorEvent) => {
    switch (event.type) {
      case "frame":
        frames.push(event);
        break;
      case "handshake":
        patch(cardId, { handshake: event });
        break;
      case "end":
        // Everything about this connection has been said.
        inspector.close(1000, "Connection ended");
        break;
    }
  };
  inspector.addEventListener("message", (message: MessageEvent<string>) => {
    let parsed: InspectorEvent | InspectorEvent[];
    try {
      parsed = JSON.parse(message.data) as InspectorEvent | InspectorEvent[];
    } catch {
      return;
    }
    if (Array.isArray(parsed)) for (const event of parsed) handle(event);
    else handle(parsed);
  });
}

export function closeInspector(cardId: string): void {
  const inspector = inspectors.get(cardId);
  if (!inspector) return;
  inspectors.delete(cardId);
  if (inspector.readyState <= WebSocket.OPEN) inspector.close(1000, "Inspector no longer needed");
}
