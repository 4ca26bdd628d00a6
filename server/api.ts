import type { IncomingMessage, ServerResponse } from "node:http";
import { ENDPOINTS } from "../src/protocol/endpoint-catalogue.ts";
import type { ConnectionRegistry } from "./connection-registry.ts";
import type { TapRegistry } from "./tap/tap-registry.ts";

interface ApiContext {
  registry: ConnectionRegistry;
  /** Every connection the server holds: raw WebSockets, inspectors, Socket.IO clients. */
  connectionCount(): number;
  startedAt: number;
  taps: TapRegistry;
}

const TAP_PATH = /^\/api\/taps\/([A-Za-z0-9_-]{1,64})$/;

/** The REST API: `/api/endpoints`, `/api/health`, `/api/stats`, `/api/taps/ID`. */
export function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    sendJson(response, 405, { error: `${request.method} is not supported here; use GET.` });
    return;
  }
  switch (url.pathname) {
    case "/api/endpoints":
      sendJson(response, 200, ENDPOINTS);
      return;
    case "/api/health":
      sendJson(response, 200, {
        ok: true,
        uptime: (Date.now() - context.startedAt) / 1000,
        connections: context.connectionCount(),
      });
      return;
    case "/api/stats":
      sendJson(response, 200, {
        connections: context.connectionCount(),
        endpoints: context.registry.snapshot(),
        taps: { count: context.taps.size, bytes: context.taps.usedBytes },
      });
      return;
    default: {
      // Whether a tap id has reached this server: the page asks once its connection failed
      // without a handshake record, to tell "not yet" from "never" (e.g. TLS to a plain port).
      const tap = TAP_PATH.exec(url.pathname)?.[1];
      const record = tap === undefined ? undefined : context.taps.get(tap);
      if (tap !== undefined) {
        if (!record) {
          sendJson(response, 404, {
            error: `No connection with tap ${tap} has reached this server (or it was forgotten).`,
          });
          return;
        }
        sendJson(response, 200, {
          tap,
          events: record.log.total,
          live: record.live,
          inspectors: record.subscriberCount,
        });
        return;
      }
      sendJson(response, 404, { error: `No API at ${url.pathname}.` });
    }
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
  });
  response.end(text);
}
