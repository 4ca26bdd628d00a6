import type { IncomingMessage } from "node:http";
import type { ServerOptions, WebSocket } from "ws";
import type { ParamValues } from "../../src/protocol/endpoint-params.ts";
import type { ConnectionRegistry } from "../connection-registry.ts";

/** What a raw endpoint's handler gets for each accepted connection. */
export interface EndpointConnection {
  ws: WebSocket;
  request: IncomingMessage;
  /** The handshake's query, validated against the endpoint's catalogue entry. */
  params: ParamValues;
  registry: ConnectionRegistry;
  path: string;
}

export interface EndpointImplementation {
  path: string;
  /** `ws` server options beyond what every endpoint shares (e.g. permessage-deflate). */
  wsOptions?: Pick<ServerOptions, "perMessageDeflate">;
  onConnection(connection: EndpointConnection): void;
}
