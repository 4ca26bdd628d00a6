import { splitCommaList } from "../src/protocol/comma-list.ts";
import { type HostCheck, isRebindingProofHost } from "./host-check.ts";

/**
 * Cross-site WebSocket hijacking guard. Browsers send `Origin` on every WebSocket handshake
 * and do not apply the same-origin policy to WebSockets, so without this check any web page
 * a visitor opens could drive this server through the visitor's browser.
 */

/**
 * `*` in the allowed list lets every origin in (for a workshop on a trusted LAN).
 *
 * The page's own origin is recognised by Origin naming the Host the request was sent to, and
 * that proves nothing when the Host is a rebinding page's own name: it counts only when
 * `isHostAllowed` accepts the Host. Pass the server's check (`createHostCheck`); without one,
 * only names no DNS answer can move (loopback names, IP literals) count.
 */
export function isOriginAllowed(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowedOrigins: readonly string[],
  isHostAllowed: HostCheck = isRebindingProofHost,
): boolean {
  // Non-browser clients (wscat, test suites, other languages' libraries) send no Origin.
  if (origin === undefined) return true;
  if (allowedOrigins.includes("*") || allowedOrigins.includes(origin)) return true;
  if (hostHeader === undefined || !isHostAllowed(hostHeader)) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  // The page's own origin: it was served by this server under the Host it asked for.
  return originHost.toLowerCase() === hostHeader.toLowerCase();
}

export function parseAllowedOrigins(value: string | undefined): string[] {
  return splitCommaList(value).map((origin) => origin.replace(/\/$/, ""));
}
