import type { ServerResponse } from "node:http";

/**
 * The page's Content-Security-Policy. Every directive is as tight as the built page allows:
 * - scripts and stylesheets only from this server, never inline: Vite emits files, and
 *   React sets `style={{…}}` through the CSSOM (`element.style`), which CSP does not govern,
 *   so no 'unsafe-inline' is needed for styles either;
 * - images may also be `data:` URLs, which Vite makes of small imported images (an image
 *   runs no script);
 * - `connect-src` adds `ws:` and `wss:` to 'self' because connecting to other WebSocket
 *   servers is what the playground is for (a learner tries wss://echo.example); it stays
 *   closed to plain `http(s):` fetches elsewhere;
 * - no plugins, no `<base>` tricks, forms only to this server, never framed (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers every response of this server carries (page, assets, REST, refusals). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  // Served types are meant: a text/plain refusal that echoes a header is never run as script.
  "X-Content-Type-Options": "nosniff",
  // frame-ancestors' older spelling, for browsers without CSP Level 2.
  "X-Frame-Options": "DENY",
  // URLs may carry tap ids and scenario fragments; other sites are told nothing.
  "Referrer-Policy": "no-referrer",
};

/**
 * Sets the security headers on a response before anything is written; headers a handler
 * passes to `writeHead` later are merged with them.
 */
export function applySecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}
