/**
 * `Sec-WebSocket-Extensions` (RFC 6455 §9.1) and the permessage-deflate parameters
 * (RFC 7692 §7.1) it carries.
 */

export interface ExtensionOffer {
  name: string;
  /** Parameter values; a parameter without a value is `true`. */
  params: Record<string, string | true>;
}

/** Parses `permessage-deflate; client_max_window_bits=10, x-other`; malformed parts are skipped. */
export function parseExtensions(header: string | undefined | null): ExtensionOffer[] {
  if (!header) return [];
  const offers: ExtensionOffer[] = [];
  for (const part of header.split(",")) {
    const [nameText, ...paramTexts] = part.split(";");
    const name = nameText?.trim();
    if (!name) continue;
    const params: Record<string, string | true> = {};
    for (const paramText of paramTexts) {
      const [key, ...rest] = paramText.split("=");
      const paramName = key?.trim();
      if (!paramName) continue;
      const value = rest
        .join("=")
        .trim()
        .replace(/^"(.*)"$/, "$1");
      params[paramName] = rest.length > 0 ? value : true;
    }
    offers.push({ name, params });
  }
  return offers;
}

/** What a permessage-deflate agreement means for each direction's compression context. */
export interface DeflateAgreement {
  /** The server starts every message it sends with an empty window. */
  serverNoContextTakeover: boolean;
  /** The client starts every message it sends with an empty window. */
  clientNoContextTakeover: boolean;
  /** LZ77 window of the server's compressor, in bits (8–15; 15 when not named). */
  serverMaxWindowBits: number;
  /** LZ77 window of the client's compressor, in bits. */
  clientMaxWindowBits: number;
}

/** The permessage-deflate agreement in a server's response header, or undefined if none. */
export function deflateAgreement(
  responseHeader: string | undefined | null,
): DeflateAgreement | undefined {
  const offer = parseExtensions(responseHeader).find((item) => item.name === "permessage-deflate");
  if (!offer) return undefined;
  const bits = (value: string | true | undefined) => {
    const parsed = typeof value === "string" ? Number(value) : Number.NaN;
    return Number.isInteger(parsed) && parsed >= 8 && parsed <= 15 ? parsed : 15;
  };
  return {
    serverNoContextTakeover: offer.params.server_no_context_takeover !== undefined,
    clientNoContextTakeover: offer.params.client_no_context_takeover !== undefined,
    serverMaxWindowBits: bits(offer.params.server_max_window_bits),
    clientMaxWindowBits: bits(offer.params.client_max_window_bits),
  };
}
