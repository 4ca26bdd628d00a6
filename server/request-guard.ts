import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createHostCheck, type HostCheck, hostRefusal } from "./host-check.ts";
import { isOriginAllowed } from "./origin.ts";
import { answerPlainText } from "./plain-text-response.ts";
import { applySecurityHeaders } from "./security-headers.ts";

export interface RequestGuardOptions {
  /** The address the server is bound to. */
  boundHost: string;
  /** ALLOWED_HOSTS, as `parseAllowedHosts` returns them. */
  allowedHosts: readonly string[];
  /** ALLOWED_ORIGINS, as `parseAllowedOrigins` returns them. */
  allowedOrigins: readonly string[];
  /** The machine's addresses; default: `os.networkInterfaces()`. */
  readAddresses?: () => readonly string[];
}

export interface Refusal {
  status: number;
  reason: string;
}

/** The checks every request passes before any route sees it. */
export interface RequestGuard {
  /** Whether a Host header names this server. */
  readonly isHostAllowed: HostCheck;
  /**
   * For a plain HTTP request (page, assets, REST): sets the security headers and answers a
   * Host that is not this server's with 421. True when it answered, and the caller stops.
   */
  answerRefusedHttp(request: IncomingMessage, response: ServerResponse): boolean;
  /**
   * For a WebSocket or Socket.IO handshake: 421 for a Host that is not this server's, 403
   * for an Origin that is neither the page's own nor allowed; undefined when it may go on.
   */
  handshakeRefusal(request: { headers: IncomingHttpHeaders }): Refusal | undefined;
}

/**
 * The Host check (DNS rebinding) comes before the Origin check, and answers 421 Misdirected
 * Request rather than 403: RFC 9110 §15.5.20 made it for a request sent to a server that does
 * not serve that authority, and it keeps the two refusals apart for the page, which reads a
 * 403 as "this page's Origin was refused".
 */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const isHostAllowed = createHostCheck(options);
  const { allowedOrigins } = options;
  return {
    isHostAllowed,
    answerRefusedHttp(request, response) {
      applySecurityHeaders(response);
      const host = hostOf(request.headers);
      if (host === undefined || isHostAllowed(host)) return false;
      const { status, reason } = hostRefusal(host);
      answerPlainText(response, status, reason);
      return true;
    },
    handshakeRefusal({ headers }) {
      const host = hostOf(headers);
      const { origin } = headers;
      if (host !== undefined && !isHostAllowed(host)) return hostRefusal(host);
      if (isOriginAllowed(origin, host, allowedOrigins, isHostAllowed)) return undefined;
      return {
        status: 403,
        reason: `Origin ${origin} is not allowed: only this server's own page, clients without an Origin and ALLOWED_ORIGINS may connect.`,
      };
    },
  };
}

/** The Host of an HTTP/1.1 request, or the `:authority` that replaces it in HTTP/2. */
function hostOf(headers: IncomingHttpHeaders): string | undefined {
  const authority = headers.host ?? headers[":authority"];
  return typeof authority === "string" ? authority : undefined;
}
