/**
 * The accept pipeline of a raw endpoint, after the transport applied the tap and the Origin
 * guard: the connection limits, the query and subprotocol decision, the endpoint's
 * `beforeAccept`, the 101, and the handler, with its errors contained to its connection.
 */
import type { WebSocket } from "ws";
import { CloseCode } from "../../src/protocol/close-codes.ts";
import { decideHandshake } from "../../src/protocol/handshake-decision.ts";
import { responseSubprotocol } from "../../src/protocol/subprotocol.ts";
import type { ConnectionRegistry } from "../connection-registry.ts";
import type { HandshakeRequest } from "../transports/h1-upgrade.ts";
import type { EndpointDefinition, HandshakeRefusal } from "./endpoint.ts";

export interface EndpointAcceptContext {
  registry: ConnectionRegistry;
  /** The largest message accepted, for endpoints that send one just above it. */
  maxPayload: number;
  /** A refusal when the server takes no more endpoint connections (full, shutting down). */
  admission(): HandshakeRefusal | undefined;
  /** Handshakes held by a `beforeAccept` (a slow 101): a shutdown refuses them at once. */
  waiting: Set<HandshakeRequest>;
  /** Called for each endpoint WebSocket opened and closed (the connection limit counts them). */
  onOpen(ws: WebSocket): void;
  /** Told about an error a handler threw; the connection was closed with 1011. */
  onHandlerError(path: string, error: unknown): void;
}

export async function acceptEndpointHandshake(
  definition: EndpointDefinition,
  handshake: HandshakeRequest,
  context: EndpointAcceptContext,
): Promise<void> {
  const { spec } = definition;
  const full = context.admission();
  if (full) {
    handshake.refuse(full.status, full.reason);
    return;
  }
  const decision = decideHandshake(spec, handshake.query, handshake.offeredProtocols);
  if (decision.kind === "refuse") {
    handshake.refuse(decision.status, decision.reason);
    return;
  }
  const { params } = decision;
  if (definition.beforeAccept) {
    let refusal: HandshakeRefusal | undefined;
    context.waiting.add(handshake);
    try {
      refusal = await definition.beforeAccept({ params, handshake });
    } catch (error) {
      context.onHandlerError(spec.path, error);
      refusal = { status: 500, reason: `The ${spec.path} endpoint failed before accepting.` };
    } finally {
      context.waiting.delete(handshake);
    }
    // A slow handshake: the client may have given up, or the server filled up, meanwhile.
    if (!handshake.pending) {
      handshake.stream.destroy();
      return;
    }
    refusal ??= context.admission();
    if (refusal) {
      handshake.refuse(refusal.status, refusal.reason);
      return;
    }
  }
  const perMessageDeflate = definition.perMessageDeflate?.(params, handshake.request) ?? false;
  const ws = await handshake.accept({
    protocol: responseSubprotocol(decision.outcome),
    perMessageDeflate,
    headers: definition.responseHeaders?.(handshake.request) ?? [],
  });
  context.onOpen(ws);
  const stats = context.registry.track(ws, spec.path);
  // `ws` closes with the right code (1002, 1007, 1009) and then reports the error here.
  ws.on("error", () => {});
  const contain = (error: unknown) => {
    context.onHandlerError(spec.path, error);
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      ws.close(CloseCode.InternalError, `The ${spec.path} endpoint failed on this connection`);
    }
  };
  containListenerErrors(ws, contain);
  try {
    definition.onConnection({
      ws,
      request: handshake.request,
      params,
      stats,
      handshake,
      maxPayload: context.maxPayload,
    });
  } catch (error) {
    contain(error);
  }
}

/**
 * Catches what a listener of this socket's events throws (a handler's `message` listener runs
 * inside `ws`'s socket reader: a throw there would otherwise end the process) and hands it to
 * `onError`, so one connection's bug closes that connection only.
 */
export function containListenerErrors(ws: WebSocket, onError: (error: unknown) => void): void {
  const emit = ws.emit;
  ws.emit = function containedEmit(this: WebSocket, event: string | symbol, ...args: unknown[]) {
    try {
      return emit.call(this, event, ...args);
    } catch (error) {
      onError(error);
      return true;
    }
  } as WebSocket["emit"];
}
