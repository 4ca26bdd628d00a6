import WebSocket from "ws";
import type { InspectorEvent } from "../../src/protocol/inspector-events.ts";

/** Opens a `ws` client and resolves once it is open (rejects on a failed handshake). */
export function openClient(
  url: string,
  protocols?: string | string[],
  options?: WebSocket.ClientOptions,
): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** The next message: text as a string, binary as a Buffer. */
export function nextMessage(ws: WebSocket): Promise<{ data: string | Buffer; isBinary: boolean }> {
  return new Promise((resolve) => {
    ws.once("message", (data, isBinary) =>
      resolve({ data: isBinary ? (data as Buffer) : data.toString(), isBinary }),
    );
  });
}

/** How the connection closed. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

/**
 * Reads `/inspect?tap=ID` on `inspectorUrl` (JSON, one event per message) and resolves with
 * every event once the tapped connection's `end` arrives; rejects if the inspector closes first.
 */
export async function inspectUntilEnd(
  inspectorUrl: string,
  options?: WebSocket.ClientOptions,
): Promise<InspectorEvent[]> {
  const inspector = new WebSocket(inspectorUrl, options);
  const events: InspectorEvent[] = [];
  return new Promise((resolve, reject) => {
    inspector.on("message", (data) => {
      const event = JSON.parse(data.toString()) as InspectorEvent;
      events.push(event);
      if (event.type === "end") {
        inspector.close();
        resolve(events);
      }
    });
    inspector.on("close", (code, reason) =>
      reject(new Error(`inspector closed ${code} ${reason}`)),
    );
    inspector.on("error", reject);
  });
}
