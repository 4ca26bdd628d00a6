import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions, WebSocket } from "ws";
import type { EndpointSpec } from "../../src/protocol/endpoint-catalogue.ts";
import type { ParamValuesOf } from "../../src/protocol/endpoint-params.ts";
import type { EndpointStats } from "../connection-registry.ts";
import type { HandshakeRequest } from "../transports/h1-upgrade.ts";

/** The handshake's query, validated against the endpoint's catalogue entry and typed from it. */
export type ParamsOf<Spec extends EndpointSpec> = ParamValuesOf<Spec["parameters"]>;

/** What a raw endpoint's handler gets for each accepted connection. */
export interface EndpointConnection<Params = ParamsOf<EndpointSpec>> {
  ws: WebSocket;
  request: IncomingMessage;
  params: Params;
  /** This endpoint's counters (`GET /api/stats`): handlers count what they send. */
  stats: EndpointStats;
  /** The handshake it came from (transport, connection id, the raw byte stream). */
  handshake: HandshakeRequest;
  /** The largest message this server accepts, in bytes after decompression. */
  maxPayload: number;
}

/** What `beforeAccept` may ask for instead of the 101: a refusal with a status and a reason. */
export interface HandshakeRefusal {
  status: number;
  reason: string;
}

/** What `beforeAccept` gets: the validated query and the handshake, still unanswered. */
export interface PendingHandshake<Params> {
  params: Params;
  handshake: HandshakeRequest;
}

/**
 * One raw endpoint, defined once beside its implementation: its catalogue entry (served at
 * `/api/endpoints`, validated on every handshake) and what it does. Methods rather than
 * function properties, so definitions of different specs share one list.
 */
export interface EndpointDefinition<Spec extends EndpointSpec = EndpointSpec> {
  spec: Spec;
  /**
   * The permessage-deflate settings for one handshake (default: not offered). A function,
   * because they come from the handshake's own query and offer.
   */
  perMessageDeflate?(
    params: ParamsOf<Spec>,
    request: IncomingMessage,
  ): PerMessageDeflateOptions | false;
  /**
   * Headers to add to the 101 (after `perMessageDeflate` ran for the same request), so that the
   * answer, and the tap's record of it, says what the negotiation did (default: none).
   */
  responseHeaders?(request: IncomingMessage): [name: string, value: string][];
  /**
   * Runs after the query and the subprotocol were accepted, before the 101: may take its
   * time (a slow handshake) or refuse. Cross-parameter checks live here too.
   */
  beforeAccept?(
    pending: PendingHandshake<ParamsOf<Spec>>,
  ): HandshakeRefusal | undefined | Promise<HandshakeRefusal | undefined>;
  onConnection(connection: EndpointConnection<ParamsOf<Spec>>): void;
}

/** Declares an endpoint; the parameter types come from `spec` (declared `as const`). */
export function defineEndpoint<const Spec extends EndpointSpec>(
  definition: EndpointDefinition<Spec>,
): EndpointDefinition<Spec> {
  return definition;
}
