import { splitCommaList } from "./comma-list.ts";

/**
 * Subprotocol negotiation (RFC 6455 §1.9, §4.2.2 and §11.3.4), as pure functions so the
 * server applies the policy and the page explains the outcome with the very same code.
 */

/** RFC 7230 §3.2.6 `token`: what a subprotocol name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isSubprotocolToken(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * Splits a `Sec-WebSocket-Protocol` header (or a comma-separated list typed by a person)
 * into names, keeping the order, which carries the client's preference.
 */
export function parseSubprotocolList(header: string | undefined | null): string[] {
  return splitCommaList(header);
}

export const PreferOrder = { Client: "client", Server: "server" } as const;
export type PreferOrder = (typeof PreferOrder)[keyof typeof PreferOrder];

/** How an endpoint answers the subprotocols a client offers. */
export interface SubprotocolPolicy {
  /** The subprotocols this server speaks here, in the server's order of preference. */
  accept: readonly string[];
  /** Whose order wins when several offered subprotocols are accepted. */
  prefer: PreferOrder;
  /** Refuse the handshake (HTTP 400) when nothing offered is accepted. */
  require: boolean;
  /** Teaching aid: answer with a subprotocol the client did not offer. */
  misbehaveUnoffered: boolean;
}

export type NegotiationOutcome =
  /** An offered subprotocol was accepted and is sent back. */
  | { kind: "matched"; protocol: string; offered: string[]; accepted: readonly string[] }
  /** The client offered nothing, so the response names none: the usual plain WebSocket. */
  | { kind: "none-offered"; offered: []; accepted: readonly string[] }
  /**
   * Nothing offered is accepted and the policy does not require one: the response names no
   * subprotocol. A browser that offered some then fails the connection itself (WHATWG
   * WebSockets, "establish a WebSocket connection"); other clients may go on without one.
   */
  | { kind: "no-match"; offered: string[]; accepted: readonly string[] }
  /** Nothing offered is accepted and the policy requires one: HTTP 400 with `reason`. */
  | { kind: "refused"; reason: string; offered: string[]; accepted: readonly string[] }
  /**
   * The server answers with `protocol`, which the client never offered (RFC 6455 §4.1 tells
   * the client to fail the connection then).
   */
  | { kind: "unoffered"; protocol: string; offered: string[]; accepted: readonly string[] };

/** A name for the `misbehave=unoffered` answer when every accepted name was offered. */
export const UNOFFERED_FALLBACK = "not-offered.example";

export function negotiateSubprotocol(
  offered: readonly string[],
  policy: SubprotocolPolicy,
): NegotiationOutcome {
  const offeredList = [...offered];
  const { accept } = policy;
  if (policy.misbehaveUnoffered) {
    const protocol = accept.find((name) => !offered.includes(name)) ?? UNOFFERED_FALLBACK;
    return { kind: "unoffered", protocol, offered: offeredList, accepted: accept };
  }
  const match =
    policy.prefer === PreferOrder.Client
      ? offered.find((name) => accept.includes(name))
      : accept.find((name) => offered.includes(name));
  if (match !== undefined) {
    return { kind: "matched", protocol: match, offered: offeredList, accepted: accept };
  }
  if (policy.require) {
    return {
      kind: "refused",
      reason: refusalReason(offeredList, accept),
      offered: offeredList,
      accepted: accept,
    };
  }
  if (offeredList.length === 0) return { kind: "none-offered", offered: [], accepted: accept };
  return { kind: "no-match", offered: offeredList, accepted: accept };
}

function refusalReason(offered: readonly string[], accept: readonly string[]): string {
  const acceptText = accept.length > 0 ? accept.join(", ") : "none";
  if (offered.length === 0) {
    return `This endpoint requires a subprotocol and the client offered none (accepted here: ${acceptText}).`;
  }
  return `No offered subprotocol is accepted here (offered: ${offered.join(", ")}; accepted: ${acceptText}).`;
}

/** The value for the response's `Sec-WebSocket-Protocol` header, or null for none. */
export function responseSubprotocol(outcome: NegotiationOutcome): string | null {
  return outcome.kind === "matched" || outcome.kind === "unoffered" ? outcome.protocol : null;
}
