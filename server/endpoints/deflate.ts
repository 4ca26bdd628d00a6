import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions } from "ws";
import { DEFLATE_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { parseExtensions } from "../../src/protocol/extensions.ts";
import { echoMessages } from "./echo.ts";
import { defineEndpoint, type ParamsOf } from "./endpoint.ts";

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

/**
 * The permessage-deflate settings for one handshake. `ws` refuses the whole handshake (400)
 * when its fixed settings clash with the client's offer; RFC 7692 §7.1.2 lets a server
 * answer with a window no larger than the one asked for, so the settings are first fitted to
 * this client's offer.
 */
export function deflateOptionsFor(
  params: DeflateParams,
  request: Pick<IncomingMessage, "headers">,
): PerMessageDeflateOptions {
  const offer = parseExtensions(request.headers["sec-websocket-extensions"]).find(
    (item) => item.name === "permessage-deflate",
  )?.params;
  const asked = (value: string | true | undefined) =>
    typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
  const smallerOf = (ours: number | undefined, theirs: number | undefined) =>
    ours !== undefined && theirs !== undefined ? Math.min(ours, theirs) : ours;

  const serverBits = smallerOf(params.server_max_window_bits, asked(offer?.server_max_window_bits));
  // A client that did not offer client_max_window_bits cannot be told to use a smaller window.
  const clientBits =
    offer?.client_max_window_bits === undefined
      ? undefined
      : smallerOf(params.client_max_window_bits, asked(offer.client_max_window_bits));

  const options: PerMessageDeflateOptions = {
    threshold: params.threshold ?? 0,
    zlibDeflateOptions: { level: params.level ?? 6 },
    // `false` would make ws refuse a client asking for no context takeover: leave it unset.
    ...(params.server_no_context_takeover === true ? { serverNoContextTakeover: true } : {}),
    ...(params.client_no_context_takeover === true ? { clientNoContextTakeover: true } : {}),
    ...(serverBits !== undefined ? { serverMaxWindowBits: serverBits } : {}),
    ...(clientBits !== undefined ? { clientMaxWindowBits: clientBits } : {}),
  };
  return options;
}

/** `/deflate`: the echo with permessage-deflate. */
export const deflateEndpoint = defineEndpoint({
  spec: DEFLATE_SPEC,
  perMessageDeflate: deflateOptionsFor,
  onConnection: echoMessages,
});
