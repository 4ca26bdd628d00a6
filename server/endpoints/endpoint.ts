import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions, WebSocket } from "ws";
import type { ParamValues } from "../../src/protocol/endpoint-params.ts";
import type { EndpointStats } from "../connection-registry.ts";

/** What a raw endpoint's handler gets for each accepted connection. */
export interface EndpointConnection {
  ws: WebSocket;
  request: IncomingMessage;
  /** The handshake's query, validated against the endpoint's catalogue entry. */
  params: ParamValues;
  /** This endpoint's counters (`GET /api/stats`): handlers count what they send. */
  stats: EndpointStats;
}

export interface EndpointImplementation {
  path: string;
  /**
   * The permessage-deflate settings for one handshake (default: not offered). A function,
   * because they come from the handshake's own query and offer.
   */
  perMessageDeflate?(
    params: ParamValues,
    request: IncomingMessage,
  ): PerMessageDeflateOptions | false;
  onConnection(connection: EndpointConnection): void;
}
