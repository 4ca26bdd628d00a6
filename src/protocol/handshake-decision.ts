/**
 * What the companion server does with a WebSocket handshake for one of its raw endpoints,
 * as a pure function: the server acts on it, and the page runs the same function to explain
 * a failed connection, since the browser reports every failed handshake only as code 1006.
 */
import type { EndpointSpec } from "./endpoint-catalogue.ts";
import { policyFromParams } from "./endpoint-catalogue.ts";
import { type ParamValuesOf, parseTypedParams } from "./endpoint-params.ts";
import { type NegotiationOutcome, negotiateSubprotocol } from "./subprotocol.ts";

export type HandshakeDecision<Spec extends EndpointSpec = EndpointSpec> =
  | { kind: "refuse"; status: number; reason: string; outcome?: NegotiationOutcome }
  | { kind: "accept"; params: ParamValuesOf<Spec["parameters"]>; outcome: NegotiationOutcome };

/** The parameters are typed from the spec when it is declared `as const` (the server's are). */
export function decideHandshake<const Spec extends EndpointSpec>(
  endpoint: Spec,
  query: URLSearchParams,
  offered: readonly string[],
): HandshakeDecision<Spec> {
  const parsed = parseTypedParams<Spec["parameters"]>(endpoint.parameters, query);
  if (!parsed.ok) return { kind: "refuse", status: 400, reason: parsed.reason };
  const outcome = negotiateSubprotocol(offered, policyFromParams(parsed.values));
  if (outcome.kind === "refused") {
    return { kind: "refuse", status: 400, reason: outcome.reason, outcome };
  }
  return { kind: "accept", params: parsed.values, outcome };
}
