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

/** One extension offer read strictly: its parameters in order, repeats kept. */
export interface StrictExtensionOffer {
  name: string;
  params: [name: string, value: string | true][];
}

export type ExtensionHeaderResult =
  | { ok: true; offers: StrictExtensionOffer[] }
  | { ok: false; reason: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Reads `Sec-WebSocket-Extensions` by RFC 6455 §9.1's grammar: extensions separated by
 * commas, each a token with `; name[=value]` parameters, a value a token or a quoted string
 * (backslash escapes allowed). Anything else is an error with a one-line reason, never a
 * guess; unlike `parseExtensions`, repeats are kept so a caller can refuse them.
 */
export function parseExtensionHeader(header: string): ExtensionHeaderResult {
  const offers: StrictExtensionOffer[] = [];
  let index = 0;
  const skipSpace = () => {
    while (header[index] === " " || header[index] === "\t") index += 1;
  };
  const readToken = () => {
    const start = index;
    while (index < header.length && !/[\s,;="\\]/.test(header[index] as string)) index += 1;
    const token = header.slice(start, index);
    return TOKEN.test(token) ? token : undefined;
  };
  const readQuoted = () => {
    index += 1;
    let value = "";
    while (index < header.length) {
      const char = header[index] as string;
      if (char === '"') {
        index += 1;
        return value;
      }
      if (char === "\\") {
        index += 1;
        if (index >= header.length) return undefined;
        value += header[index];
      } else value += char;
      index += 1;
    }
    return undefined;
  };
  for (;;) {
    skipSpace();
    const name = readToken();
    if (name === undefined) return { ok: false, reason: `expected an extension name at ${index}` };
    const offer: StrictExtensionOffer = { name, params: [] };
    offers.push(offer);
    skipSpace();
    while (header[index] === ";") {
      index += 1;
      skipSpace();
      const param = readToken();
      if (param === undefined)
        return { ok: false, reason: `expected a parameter name at ${index}` };
      skipSpace();
      let value: string | true = true;
      if (header[index] === "=") {
        index += 1;
        skipSpace();
        const read = header[index] === '"' ? readQuoted() : readToken();
        if (read === undefined) return { ok: false, reason: `bad value for ${param}` };
        value = read;
        skipSpace();
      }
      offer.params.push([param, value]);
    }
    if (index >= header.length) return { ok: true, offers };
    if (header[index] !== ",")
      return { ok: false, reason: `unexpected '${header[index]}' at ${index}` };
    index += 1;
  }
}

/** The parameters of one permessage-deflate offer or answer, checked (RFC 7692 §7.1). */
export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** 8–15 when named. */
  serverMaxWindowBits?: number;
  /** 8–15 when named with a value; `true` when named without one (an offer only). */
  clientMaxWindowBits?: number | true;
}

export type DeflateParamsResult =
  | { ok: true; params: DeflateParams }
  | { ok: false; reason: string };

/** The four parameters RFC 7692 §7.1 defines; any other makes an offer invalid. */
export const DEFLATE_PARAM_NAMES = [
  "server_no_context_takeover",
  "client_no_context_takeover",
  "server_max_window_bits",
  "client_max_window_bits",
] as const;

/** A window size as §7.1.2 writes it: a plain decimal 8–15, no sign, no leading zero, no hex. */
function windowBits(name: string, value: string | true): number | string {
  if (value === true) return `${name} needs a value`;
  if (!/^(8|9|1[0-5])$/.test(value)) {
    return `${name}=${value} is not a plain decimal from 8 to 15 (RFC 7692 §7.1.2)`;
  }
  return Number(value);
}

/**
 * Checks one permessage-deflate element strictly: only the four known parameters, each at
 * most once, flags without values, window bits as plain decimals 8–15 (`client_max_window_bits`
 * may go without a value in an offer). Any fault is a reason to decline the offer (§5.1).
 */
export function readDeflateParams(
  params: readonly [string, string | true][],
  role: "offer" | "answer" = "offer",
): DeflateParamsResult {
  const seen = new Set<string>();
  const result: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false };
  for (const [name, value] of params) {
    if (!(DEFLATE_PARAM_NAMES as readonly string[]).includes(name)) {
      return { ok: false, reason: `unknown parameter ${name} (RFC 7692 §7.1 defines four)` };
    }
    if (seen.has(name)) return { ok: false, reason: `${name} is given more than once (§7.1)` };
    seen.add(name);
    if (name === "server_no_context_takeover" || name === "client_no_context_takeover") {
      if (value !== true) return { ok: false, reason: `${name} takes no value (got ${value})` };
      if (name === "server_no_context_takeover") result.serverNoContextTakeover = true;
      else result.clientNoContextTakeover = true;
      continue;
    }
    if (name === "client_max_window_bits" && value === true && role === "offer") {
      result.clientMaxWindowBits = true;
      continue;
    }
    const bits = windowBits(name, value);
    if (typeof bits === "string") return { ok: false, reason: bits };
    if (name === "server_max_window_bits") result.serverMaxWindowBits = bits;
    else result.clientMaxWindowBits = bits;
  }
  return { ok: true, params: result };
}

/** `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`, in §7.1's order. */
export function formatDeflateParams(params: DeflateParams): string {
  const parts = ["permessage-deflate"];
  if (params.serverNoContextTakeover) parts.push("server_no_context_takeover");
  if (params.clientNoContextTakeover) parts.push("client_no_context_takeover");
  if (params.serverMaxWindowBits !== undefined) {
    parts.push(`server_max_window_bits=${params.serverMaxWindowBits}`);
  }
  if (params.clientMaxWindowBits === true) parts.push("client_max_window_bits");
  else if (params.clientMaxWindowBits !== undefined) {
    parts.push(`client_max_window_bits=${params.clientMaxWindowBits}`);
  }
  return parts.join("; ");
}
