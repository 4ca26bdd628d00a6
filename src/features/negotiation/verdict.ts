/**
 * The plain-language verdict on a subprotocol negotiation. The browser tells a script only
 * `socket.protocol` on success and close code 1006 on any failed handshake, so for the
 * companion server's own endpoints the page replays the server's decision with the same
 * shared code (`decideHandshake`) to say which side refused and why.
 */
import type { EndpointSpec } from "../../protocol/endpoint-catalogue.ts";
import { decideHandshake } from "../../protocol/handshake-decision.ts";

export interface VerdictInput {
  url: string;
  /** `location.host` of the page: a URL on the same host is the companion server. */
  pageHost: string;
  offered: readonly string[];
  /** The phase of the attempt. */
  phase: "idle" | "connecting" | "open" | "failed";
  /** `socket.protocol` once open. */
  protocol: string;
  /** The exception `new WebSocket()` threw, if it did. */
  constructError?: string;
  endpoints: readonly EndpointSpec[] | undefined;
}

export interface Verdict {
  tone: "info" | "ok" | "error";
  title: string;
  detail: string;
}

const list = (names: readonly string[]) =>
  names.length > 0 ? names.map((name) => `'${name}'`).join(", ") : "none";

export function negotiationVerdict(input: VerdictInput): Verdict {
  const { offered } = input;
  if (input.constructError !== undefined) {
    return {
      tone: "error",
      title: "Your browser refused to start the connection.",
      detail: `${input.constructError} new WebSocket() throws a SyntaxError for a malformed URL and for subprotocol names that are not HTTP tokens or that repeat.`,
    };
  }
  switch (input.phase) {
    case "idle":
      return {
        tone: "info",
        title: "Not connected yet.",
        detail:
          "List the subprotocols you want to offer, most preferred first, and connect. The browser sends them in the Sec-WebSocket-Protocol request header; the server may pick one (RFC 6455 §1.9).",
      };
    case "connecting":
      return {
        tone: "info",
        title: "Handshake in progress…",
        detail: `Offered: ${list(offered)}.`,
      };
    case "open":
      if (offered.length === 0) {
        return {
          tone: "info",
          title: "No subprotocol offered: plain WebSocket.",
          detail:
            "The request carried no Sec-WebSocket-Protocol header, so the response names none and socket.protocol is the empty string.",
        };
      }
      return {
        tone: "ok",
        title: `Matched '${input.protocol}'.`,
        detail: `You offered ${list(offered)}; the server chose '${input.protocol}' and named it in its Sec-WebSocket-Protocol response header. socket.protocol now says so, and both sides speak it from here on.`,
      };
    case "failed":
      return failureVerdict(input);
  }
}

function failureVerdict(input: VerdictInput): Verdict {
  const generic: Verdict = {
    tone: "error",
    title: "The connection failed before it opened (close code 1006).",
    detail:
      "The browser does not tell a script why: the server may be unreachable, may have refused the handshake, or may have answered with a subprotocol the browser could not accept.",
  };
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return generic;
  }
  const endpoint = input.endpoints?.find((candidate) => candidate.path === url.pathname);
  if (url.host !== input.pageHost || !endpoint) return generic;
  const decision = decideHandshake(endpoint, url.searchParams, input.offered);
  if (decision.kind === "refuse") {
    return {
      tone: "error",
      title: `The server refused the handshake: HTTP ${decision.status}.`,
      detail: `Its reason: ${decision.reason} A browser hides a refused handshake's response from scripts and reports only an error event and close code 1006.`,
    };
  }
  const { outcome } = decision;
  if (outcome.kind === "no-match") {
    return {
      tone: "error",
      title: "The server chose none, so your browser refused the connection.",
      detail: `You offered ${list(outcome.offered)}; this endpoint accepts ${list(outcome.accepted)}. With no match the server answered without a Sec-WebSocket-Protocol header, and a browser that offered subprotocols must then fail the connection (WHATWG WebSockets standard), which it reports as close code 1006. A non-browser client may carry on without one; add require=1 to make the server refuse with HTTP 400 instead.`,
    };
  }
  if (outcome.kind === "unoffered") {
    return {
      tone: "error",
      title: `The server answered '${outcome.protocol}', which you did not offer, so your browser refused the connection.`,
      detail:
        "RFC 6455 §4.1: if the response names a subprotocol the client did not request, the client must fail the WebSocket connection. The browser reports it as close code 1006.",
    };
  }
  return {
    ...generic,
    detail:
      "The server would have accepted this handshake, so it may be down, or the page's Origin may not be allowed (HTTP 403).",
  };
}
