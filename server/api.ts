import type { IncomingMessage, ServerResponse } from "node:http";
import { ENDPOINTS } from "../src/protocol/endpoint-catalogue.ts";
import type { ConnectionRegistry } from "./connection-registry.ts";

interface ApiContext {
  registry: ConnectionRegistry;
  startedAt: number;
}

/** The REST API: `/api/endpoints`, `/api/health`, `/api/stats`. */
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
        connections: context.registry.size,
      });
      return;
    case "/api/stats":
      sendJson(response, 200, {
        connections: context.registry.size,
        endpoints: context.registry.snapshot(),
      });
      return;
    default:
      sendJson(response, 404, { error: `No API at ${url.pathname}.` });
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
