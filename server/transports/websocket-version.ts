/**
 * The protocol versions an opening handshake must name, checked before `ws` sees it: `ws`
 * takes Sec-WebSocket-Version 8 as well as 13 and refuses the others with a 400, while this
 * server speaks version 13 only and RFC 6455 has a server that does not speak the client's
 * version answer with the versions it does speak (§4.2.2 item 4, §4.4).
 */
import type { IncomingMessage } from "node:http";
import type { RefusalHeaders } from "../handshake-response.ts";
import type { TransportKind } from "./h1-upgrade.ts";

/** The one WebSocket version this server speaks (RFC 6455). */
export const WEBSOCKET_VERSION = "13";

export interface VersionRefusal {
  status: number;
  reason: string;
  headers: RefusalHeaders;
}

/** A version value quoted in a reason is cut to this many characters. */
const MAX_QUOTED = 32;

/**
 * The refusal for a handshake whose HTTP or WebSocket version this server does not speak, or
 * undefined when both are fine.
 * - HTTP/1.0 (or older): 400; RFC 6455 §4.1 asks for HTTP/1.1 or higher.
 * - Sec-WebSocket-Version other than exactly 13, or none: over HTTP/1.1, 426 Upgrade Required
 *   with `Sec-WebSocket-Version: 13` (RFC 6455 §4.4), and the `Upgrade: websocket` a 426 must
 *   carry (RFC 9110 §15.5.22), which takes `upgrade` in Connection (§7.8). Over HTTP/2
 *   (RFC 8441 §5 uses Sec-WebSocket-Version as RFC 6455 defines it), 400 with the same header
 *   instead, as in RFC 6455 §4.4's own example: a 426 must name the protocol to upgrade to in
 *   an Upgrade header, which HTTP/2 forbids (RFC 9113 §8.2.2).
 */
export function versionRefusal(
  request: IncomingMessage,
  transport: TransportKind,
): VersionRefusal | undefined {
  if (transport === "h1" && (request.httpVersionMajor < 1 || request.httpVersion === "1.0")) {
    return {
      status: 400,
      reason: `A WebSocket handshake needs HTTP/1.1 or higher (RFC 6455 §4.1); this request is HTTP/${request.httpVersion}.`,
      headers: [],
    };
  }
  const offered = request.headers["sec-websocket-version"];
  if (offered?.trim() === WEBSOCKET_VERSION) return undefined;
  const speaks = `this server speaks WebSocket version ${WEBSOCKET_VERSION} only`;
  const reason =
    offered === undefined || offered.trim() === ""
      ? `The handshake names no Sec-WebSocket-Version: ${speaks} (RFC 6455 §4.4).`
      : `Sec-WebSocket-Version ${quote(offered.trim())} is not spoken here: ${speaks} (RFC 6455 §4.4).`;
  if (transport === "h2") {
    return { status: 400, reason, headers: [["sec-websocket-version", WEBSOCKET_VERSION]] };
  }
  return {
    status: 426,
    reason,
    headers: [
      ["Sec-WebSocket-Version", WEBSOCKET_VERSION],
      ["Upgrade", "websocket"],
      ["Connection", "Upgrade, close"],
    ],
  };
}

function quote(value: string): string {
  return value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
}
