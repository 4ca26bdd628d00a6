/**
 * The route table: what a path on this server is, for a WebSocket handshake and for a plain
 * HTTP request alike. Nothing else in the server decides by path which kind of thing answers.
 */
import type { EndpointDefinition } from "./endpoints/endpoint.ts";

/** The path prefix of Engine.IO (Socket.IO's transport): polling requests and its WebSocket. */
export const ENGINE_IO_PREFIX = "/socket.io/";
export const INSPECT_PATH = "/inspect";

export type Route =
  /** A raw endpoint of the catalogue. */
  | { kind: "endpoint"; definition: EndpointDefinition }
  /** The frame inspector: its `tap` names the tap it reads, not one to record. */
  | { kind: "inspect" }
  /** Socket.IO (Engine.IO's path): its polling requests and its WebSocket upgrades. */
  | { kind: "engine.io" }
  | { kind: "none" };

export interface RouteTable {
  match(pathname: string): Route;
  /** The endpoints, in catalogue order: `GET /api/endpoints` publishes their specs. */
  readonly definitions: readonly EndpointDefinition[];
}

const INSPECT: Route = { kind: "inspect" };
const ENGINE_IO: Route = { kind: "engine.io" };
const NONE: Route = { kind: "none" };

export function createRouteTable(definitions: readonly EndpointDefinition[]): RouteTable {
  const byPath = new Map<string, Route>();
  for (const definition of definitions) {
    if (byPath.has(definition.spec.path)) {
      throw new Error(`Two endpoints are defined at ${definition.spec.path}`);
    }
    byPath.set(definition.spec.path, { kind: "endpoint", definition });
  }
  return {
    definitions,
    match(pathname) {
      const endpoint = byPath.get(pathname);
      if (endpoint) return endpoint;
      if (pathname === INSPECT_PATH) return INSPECT;
      if (pathname.startsWith(ENGINE_IO_PREFIX)) return ENGINE_IO;
      return NONE;
    },
  };
}

/** Whether a handshake on this route is recorded for its own `tap=ID`. */
export function recordsOwnTap(route: Route): boolean {
  return route.kind !== "inspect";
}

/** The answer while Socket.IO is not served: the same for its polling and its WebSocket. */
export const ENGINE_IO_NOT_SERVED =
  "Socket.IO is not served by this server yet: /socket.io/ has no Engine.IO endpoint.";
