import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions } from "ws";
import { DEFLATE_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import {
  type DeflateNegotiation,
  negotiateDeflate,
} from "../../src/protocol/permessage-deflate-offer.ts";
import { sendWithBackpressure } from "../backpressure.ts";
import { byteLength, countOut } from "../connection-registry.ts";
import { defineEndpoint, type EndpointConnection, type ParamsOf } from "./endpoint.ts";

/**
 * The permessage-deflate parameters of `/deflate`'s query; `/stream?deflate=1` has none of
 * them, so each may be missing.
 */
export type DeflateParams = Partial<
  Pick<
    ParamsOf<typeof DEFLATE_SPEC>,
    | "server_no_context_takeover"
    | "client_no_context_takeover"
    | "server_max_window_bits"
    | "client_max_window_bits"
    | "threshold"
    | "level"
  >
>;

const negotiations = new WeakMap<IncomingMessage, DeflateNegotiation>();

/** How this handshake's permessage-deflate offers were answered, once `deflateOptionsFor` ran. */
export function deflateNegotiationOf(request: IncomingMessage): DeflateNegotiation | undefined {
  return negotiations.get(request);
}

/**
 * The permessage-deflate settings for one handshake, `false` to decline every offer.
 *
 * `ws` reads offers loosely (`010` and `0x0a` pass as 10, a window of 8 is answered though
 * zlib widens it to 9) and fails the whole handshake with a 400 when it dislikes one, where
 * RFC 7692 §5.1 has the server decline the extension and open without it. So the offers are
 * read here, strictly (negotiateDeflate), and `ws` is shown only the answer chosen: the
 * request's parsed `sec-websocket-extensions` is replaced by it (the raw headers, which the
 * tap records, keep what the client sent), and `ws` echoes it back as it stands. Declining is
 * returning `false`: `ws` then never reads the header.
 */
export function deflateOptionsFor(
  params: DeflateParams,
  request: Pick<IncomingMessage, "headers">,
): PerMessageDeflateOptions | false {
  const offered = request.headers["sec-websocket-extensions"];
  const negotiation = negotiateDeflate(offered, {
    serverNoContextTakeover: params.server_no_context_takeover,
    clientNoContextTakeover: params.client_no_context_takeover,
    serverMaxWindowBits: params.server_max_window_bits,
    clientMaxWindowBits: params.client_max_window_bits,
  });
  negotiations.set(request as IncomingMessage, negotiation);
  if (negotiation.kind !== "accepted") return false;
  request.headers["sec-websocket-extensions"] = negotiation.header;
  return { threshold: params.threshold ?? 0, zlibDeflateOptions: { level: params.level ?? 6 } };
}

/**
 * The echo, sending messages shorter than `threshold` uncompressed. `ws`'s own `threshold`
 * acts only under `server_no_context_takeover` (with a shared window it compresses every
 * message, small ones too), so the endpoint decides per message itself.
 */
function echoWithThreshold({
  ws,
  stats,
  params,
}: EndpointConnection<ParamsOf<typeof DEFLATE_SPEC>>): void {
  ws.on("message", (data, isBinary) => {
    const size = byteLength(data);
    countOut(stats, size);
    sendWithBackpressure(ws, data, isBinary, size >= params.threshold);
  });
}

/** The answer's header saying what the negotiation changed or declined, and why. */
export const DEFLATE_NOTE_HEADER = "X-Deflate-Negotiation";

/**
 * `X-Deflate-Negotiation` on the 101 when an offer was declined or answered differently from
 * what it asked, so a client and the handshake record see why (RFC 7692 §5.1 gives a declined
 * offer no other voice). Printable ASCII only, as an HTTP/1.1 and HTTP/2 header value must be.
 */
export function deflateNoteHeaders(request: IncomingMessage): [string, string][] {
  const negotiation = negotiations.get(request);
  if (!negotiation || negotiation.kind === "not-offered") return [];
  const parts =
    negotiation.kind === "declined"
      ? [`declined, opened uncompressed: ${negotiation.declined.join("; ")}`]
      : [...negotiation.declined.map((reason) => `declined ${reason}`), ...negotiation.notes];
  if (parts.length === 0) return [];
  const text = parts
    .join("; ")
    .replaceAll("§", "section ")
    .replace(/[^ -~]/g, "?");
  return [[DEFLATE_NOTE_HEADER, text.length > 500 ? `${text.slice(0, 497)}...` : text]];
}

/** `/deflate`: the echo with permessage-deflate. */
export const deflateEndpoint = defineEndpoint({
  spec: DEFLATE_SPEC,
  perMessageDeflate: deflateOptionsFor,
  responseHeaders: deflateNoteHeaders,
  onConnection: echoWithThreshold,
});
