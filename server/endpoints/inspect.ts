import type { WebSocket } from "ws";
import { INSPECT_PARAMS } from "../../src/protocol/endpoint-catalogue.ts";
import { parseTypedParams } from "../../src/protocol/endpoint-params.ts";
import type { InspectorFormat } from "../../src/protocol/inspector-events.ts";
import { MAX_INSPECTORS_PER_TAP, type SentListener } from "../tap/tap-record.ts";
import type { TapRegistry } from "../tap/tap-registry.ts";
import type { HandshakeRequest } from "../transports/h1-upgrade.ts";
import type { HandshakeRefusal } from "./endpoint.ts";

/** How long an inspector may wait for its tapped connection to appear. */
export const TAP_WAIT_MS = 60_000;
/** Close code when no connection with the tap id appeared in time (private-use range). */
export const CLOSE_TAP_NOT_FOUND = 4404;
/** RFC 6455 §7.4.1's 1013 Try Again Later: the tap has as many inspectors as it feeds. */
const CLOSE_TRY_AGAIN_LATER = 1013;

export interface InspectContext {
  taps: TapRegistry;
  /** A refusal when the server takes no more inspectors (full, shutting down). */
  admission(): HandshakeRefusal | undefined;
  /** Called once an inspector is open; what it returns is told of every message sent to it. */
  onOpen(ws: WebSocket): SentListener | undefined;
  /** How long an inspector may wait for its tapped connection; default TAP_WAIT_MS. */
  waitMs?: number;
}

/**
 * `/inspect?tap=ID`: streams the tapped connection's events, replaying what was recorded
 * first. The inspector is itself a WebSocket, but never tapped, so it cannot observe itself.
 */
export async function handleInspectHandshake(
  handshake: HandshakeRequest,
  { taps, admission, onOpen, waitMs = TAP_WAIT_MS }: InspectContext,
): Promise<void> {
  // The same validation as every other endpoint's query: unknown, repeated and malformed
  // parameters get a 400 with a one-line reason.
  const parsed = parseTypedParams(INSPECT_PARAMS, handshake.query);
  if (!parsed.ok) {
    handshake.refuse(400, `/inspect?tap=ID: ${parsed.reason}`);
    return;
  }
  const full = admission();
  if (full) {
    handshake.refuse(full.status, full.reason);
    return;
  }
  const tap = parsed.values.tap;
  const format: InspectorFormat = parsed.values.batch ? "batch" : parsed.values.format;
  const ws = await handshake.accept({ protocol: null, perMessageDeflate: false });
  const onSent = onOpen(ws);
  ws.on("error", () => {});
  const abort = new AbortController();
  ws.once("close", () => abort.abort());
  const record = await taps.waitFor(tap, waitMs, abort.signal);
  if (ws.readyState !== ws.OPEN) return;
  if (!record) {
    ws.close(
      CLOSE_TAP_NOT_FOUND,
      `No connection with tap ${tap} appeared within ${waitMs / 1000} s`,
    );
    return;
  }
  if (!record.subscribe(ws, format, onSent)) {
    ws.close(
      CLOSE_TRY_AGAIN_LATER,
      `Tap ${tap} already has ${MAX_INSPECTORS_PER_TAP} inspectors: close one and retry`,
    );
  }
}
