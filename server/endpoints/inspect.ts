import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import { TAP_ID_PATTERN } from "../../src/protocol/endpoint-catalogue.ts";
import { refuseHandshake } from "../handshake-response.ts";
import type { TapRegistry } from "../tap/tap-registry.ts";

/** How long an inspector may wait for its tapped connection to appear. */
export const TAP_WAIT_MS = 60_000;
/** Close code when no connection with the tap id appeared in time (private-use range). */
export const CLOSE_TAP_NOT_FOUND = 4404;

const TAP_ID = new RegExp(TAP_ID_PATTERN);

/**
 * `/inspect?tap=ID`: streams the tapped connection's events, replaying what was recorded
 * first. The inspector is itself a WebSocket, but never tapped, so it cannot observe itself.
 */
export function handleInspectUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
  wss: WebSocketServer,
  taps: TapRegistry,
  onAccepted: (ws: WebSocket) => void,
  waitMs = TAP_WAIT_MS,
): void {
  const names = [...url.searchParams.keys()];
  const tap = url.searchParams.get("tap");
  if (tap === null || !TAP_ID.test(tap)) {
    refuseHandshake(
      socket,
      400,
      `/inspect needs tap=ID with 8–64 characters of A–Z, a–z, 0–9, _ and - (got ${tap === null ? "none" : `'${tap}'`}).`,
    );
    return;
  }
  const unknown = names.find((name) => name !== "tap" && name !== "batch");
  if (unknown !== undefined) {
    refuseHandshake(socket, 400, `Unknown parameter '${unknown}' (/inspect takes tap and batch).`);
    return;
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    refuseHandshake(socket, 400, `Parameter '${repeated}' is given more than once.`);
    return;
  }
  const batchText = url.searchParams.get("batch");
  if (batchText !== null && batchText !== "0" && batchText !== "1") {
    refuseHandshake(socket, 400, `batch must be 1 or 0 (got '${batchText}').`);
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    onAccepted(ws);
    ws.on("error", () => {});
    const abort = new AbortController();
    ws.once("close", () => abort.abort());
    taps.waitFor(tap, waitMs, abort.signal).then((record) => {
      if (ws.readyState !== ws.OPEN) return;
      if (!record) {
        ws.close(
          CLOSE_TAP_NOT_FOUND,
          `No connection with tap ${tap} appeared within ${waitMs / 1000} s`,
        );
        return;
      }
      record.subscribe(ws, { batch: batchText === "1" });
    });
  });
}
