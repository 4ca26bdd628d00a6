import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions } from "ws";
import type { ParamValues } from "../../src/protocol/endpoint-params.ts";
import { parseExtensions } from "../../src/protocol/extensions.ts";
import { echoMessages } from "./echo.ts";
import type { EndpointImplementation } from "./endpoint.ts";

/**
 * The permessage-deflate settings for one handshake. `ws` refuses the whole handshake (400)
 * when its fixed settings clash with the client's offer; RFC 7692 §7.1.2 lets a server
 * answer with a window no larger than the one asked for, so the settings are first fitted to
 * this client's offer.
 */
export function deflateOptionsFor(
  params: ParamValues,
  request: IncomingMessage,
): PerMessageDeflateOptions {
  const offer = parseExtensions(request.headers["sec-websocket-extensions"]).find(
    (item) => item.name === "permessage-deflate",
  )?.params;
  const asked = (value: string | true | undefined) =>
    typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
  const smallerOf = (ours: number | undefined, theirs: number | undefined) =>
    ours !== undefined && theirs !== undefined ? Math.min(ours, theirs) : ours;

  const serverBits = smallerOf(
    numberParam(params.server_max_window_bits),
    asked(offer?.server_max_window_bits),
  );
  // A client that did not offer client_max_window_bits cannot be told to use a smaller window.
  const clientBits =
    offer?.client_max_window_bits === undefined
      ? undefined
      : smallerOf(numberParam(params.client_max_window_bits), asked(offer.client_max_window_bits));

  const options: PerMessageDeflateOptions = {
    threshold: numberParam(params.threshold) ?? 0,
    zlibDeflateOptions: { level: numberParam(params.level) ?? 6 },
    // `false` would make ws refuse a client asking for no context takeover: leave it unset.
    ...(params.server_no_context_takeover === true ? { serverNoContextTakeover: true } : {}),
    ...(params.client_no_context_takeover === true ? { clientNoContextTakeover: true } : {}),
    ...(serverBits !== undefined ? { serverMaxWindowBits: serverBits } : {}),
    ...(clientBits !== undefined ? { clientMaxWindowBits: clientBits } : {}),
  };
  return options;
}

function numberParam(value: ParamValues[string]): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/** `/deflate`: the echo with permessage-deflate. */
export const deflateEndpoint: EndpointImplementation = {
  path: "/deflate",
  perMessageDeflate: deflateOptionsFor,
  onConnection: echoMessages,
};
