/**
 * The options the page gives socket.io-client's Manager, each named once with why; the card's
 * reconnect timeline and its panels show them. Kept apart from the adapter so a panel can show
 * them without loading the Socket.IO client.
 */
import { formatHex, parseBase64, parseHex, utf8ByteLength } from "../protocol/binary-text.ts";

/** Socket.IO's own reconnection (not the page's): wait this long before the first attempt… */
export const SOCKET_IO_RECONNECTION_DELAY_MS = 1000;
/** …then twice as long each time (the client's backoff doubles), never longer than this… */
export const SOCKET_IO_RECONNECTION_DELAY_MAX_MS = 5000;
/** …each wait spread by up to ±this fraction, so a room of clients does not return at once. */
export const SOCKET_IO_RANDOMIZATION_FACTOR = 0.5;
/**
 * Attempts after one drop before the Manager gives up with `reconnect_failed`. The client's
 * default is Infinity; a bound shows the whole cycle on the timeline.
 */
export const SOCKET_IO_RECONNECTION_ATTEMPTS = 10;
/** How long an emit that asked for an acknowledgement waits for it. */
export const SOCKET_IO_ACK_TIMEOUT_MS = 5000;
/** Where the companion server serves Socket.IO. */
export const SOCKET_IO_PATH = "/socket.io/";

/**
 * The namespaces typed in a card ("/, /chat, news"): each starts with "/", duplicates and
 * blanks go, order stays. An empty list means the main namespace alone.
 */
export function parseNamespaceList(text: string): string[] {
  const names: string[] = [];
  for (const part of text.split(",")) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const name = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
    if (!names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names : ["/"];
}

/** The prefixes that make one argument of an emit binary (a Uint8Array), not JSON. */
export const BINARY_ARGUMENT_PREFIXES = ["hex:", "base64:"] as const;

/**
 * Splits the arguments text at its top-level commas: commas inside JSON strings, arrays and
 * objects stay; a binary argument (`hex:…`, `base64:…`) runs to the next comma.
 */
function splitArguments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") depth += 1;
    else if (char === "]" || char === "}") depth -= 1;
    else if (char === "," && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export type ParsedEventArguments =
  | {
      ok: true;
      args: unknown[];
      /** Set when the text was not JSON and went as one string argument, as typed. */
      asText?: true;
    }
  | { ok: false; reason: string };

/**
 * The arguments of an emit as typed: values separated by commas, each JSON (`"Hello"`, `2`,
 * `{"a": 1}`) or binary: `hex:01 02 ff` or `base64:AQL/` becomes a Uint8Array, which
 * Socket.IO sends as an attachment (a `45…-` BINARY_EVENT, then the bytes in a frame of their
 * own). Empty text is an emit without arguments. Text that does not even start like JSON
 * (`Hello, Server!`, not `"…`, `[`, `{` or a number) and holds no binary argument is what a
 * person expects to send as a message: it goes as one string argument, as typed, and `asText`
 * says so. Text that starts like JSON and is not stays an error, so a typo is shown, not sent.
 */
export function parseEventArguments(text: string): ParsedEventArguments {
  const parsed = parseArgumentList(text);
  if (parsed.ok || /^\s*["[{\d-]/.test(text) || /\b(?:hex|base64):/i.test(text)) return parsed;
  return { ok: true, args: [text], asText: true };
}

function parseArgumentList(text: string): ParsedEventArguments {
  if (text.trim() === "") return { ok: true, args: [] };
  const args: unknown[] = [];
  const parts = splitArguments(text);
  for (const [index, part] of parts.entries()) {
    const trimmed = part.trim();
    const which = parts.length > 1 ? `Argument ${index + 1}` : "The argument";
    if (trimmed === "") return { ok: false, reason: `${which} is empty.` };
    const lower = trimmed.toLowerCase();
    if (lower.startsWith("hex:") || lower.startsWith("base64:")) {
      const isHex = lower.startsWith("hex:");
      const body = trimmed.slice(isHex ? 4 : 7);
      const parsed = isHex ? parseHex(body) : parseBase64(body);
      if (!parsed.ok) return { ok: false, reason: `${which} (binary): ${parsed.reason}` };
      args.push(parsed.bytes);
      continue;
    }
    try {
      args.push(JSON.parse(trimmed));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        reason: `${which} is neither JSON nor hex:… / base64:… binary: ${detail}`,
      };
    }
  }
  return { ok: true, args };
}

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return undefined;
}

/** Binary bytes a log line shows in hex before it cuts the rest short. */
export const BINARY_PREVIEW_BYTES = 32;

function describeBinary(bytes: Uint8Array): string {
  const size = `${bytes.length} ${bytes.length === 1 ? "byte" : "bytes"}`;
  return bytes.length === 0
    ? `<binary ${size}>`
    : `<binary ${size}: ${formatHex(bytes, BINARY_PREVIEW_BYTES)}>`;
}

/** Event arguments in a line of the log: JSON, with binary as its size and bytes in hex. */
export function describeEventArguments(args: readonly unknown[]): string {
  return args
    .map((arg) => {
      const bytes = asBytes(arg);
      if (bytes) return describeBinary(bytes);
      try {
        return (
          JSON.stringify(arg, (_key, value: unknown) => {
            const nested = asBytes(value);
            return nested ? describeBinary(nested) : value;
          }) ?? "undefined"
        );
      } catch {
        return String(arg);
      }
    })
    .join(", ");
}

/** Bytes the arguments carry: JSON text for JSON values, the bytes themselves for binary. */
export function eventArgumentBytes(args: readonly unknown[]): number {
  let total = 0;
  for (const arg of args) {
    const bytes = asBytes(arg);
    if (bytes) total += bytes.length;
    else total += utf8ByteLength(describeEventArguments([arg]));
  }
  return total;
}

/** How many arguments are binary, and their bytes: for the composer's hint. */
export function binaryArgumentSummary(args: readonly unknown[]): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const arg of args) {
    const binary = asBytes(arg);
    if (!binary) continue;
    count += 1;
    bytes += binary.length;
  }
  return { count, bytes };
}

export type ParsedAuth =
  | { ok: true; auth: Record<string, unknown> | undefined }
  | { ok: false; reason: string };

/**
 * The auth payload as typed: a JSON object, sent as `auth` in every namespace's CONNECT
 * packet (`40{"token":"…"}`); empty text sends none (`40`).
 */
export function parseAuthPayload(text: string): ParsedAuth {
  if (text.trim() === "") return { ok: true, auth: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `The auth payload is not JSON: ${detail}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      reason: 'The auth payload must be a JSON object, such as {"token": "abc"}.',
    };
  }
  return { ok: true, auth: value as Record<string, unknown> };
}

/** The event names a card listens to in "named" mode ("message, said"): trimmed, deduplicated. */
export function parseEventNameList(text: string): string[] {
  const names: string[] = [];
  for (const part of text.split(",")) {
    const name = part.trim();
    if (name !== "" && !names.includes(name)) names.push(name);
  }
  return names;
}
