/**
 * The options the page gives socket.io-client's Manager, each named once with why; the card's
 * reconnect timeline and its panels show them. Kept apart from the adapter so a panel can show
 * them without loading the Socket.IO client.
 */

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

/**
 * The arguments of an emit as typed: JSON values separated by commas (`"Hello"`, `"lobby", 2`,
 * `{"a": 1}`), read as the elements of one array. Empty text is an emit without arguments.
 */
export function parseEventArguments(
  text: string,
): { ok: true; args: unknown[] } | { ok: false; reason: string } {
  if (text.trim() === "") return { ok: true, args: [] };
  try {
    return { ok: true, args: JSON.parse(`[${text}]`) as unknown[] };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `Arguments are not JSON values separated by commas: ${detail}` };
  }
}

/** Event arguments in a line of the log: JSON, with binary shown by its size. */
export function describeEventArguments(args: readonly unknown[]): string {
  return args
    .map((arg) => {
      try {
        return (
          JSON.stringify(arg, (_key, value: unknown) => {
            if (value instanceof ArrayBuffer) return `<binary ${value.byteLength} bytes>`;
            if (ArrayBuffer.isView(value)) return `<binary ${value.byteLength} bytes>`;
            return value;
          }) ?? "undefined"
        );
      } catch {
        return String(arg);
      }
    })
    .join(", ");
}
