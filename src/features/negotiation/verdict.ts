/**
 * The plain-language verdict on a connection attempt. The browser tells a script only
 * `socket.protocol` and `socket.extensions` on success and close code 1006 with no reason on
 * any failure before open, so the verdict rests on evidence the page has besides: the
 * companion server's record of the handshake (for tapped attempts), the URL against the
 * page's own origin, and, while the record is on its way, a replay of the server's decision
 * with the same shared code (`decideHandshake`). It never claims more than that evidence.
 */
import type { EndpointSpec } from "../../protocol/endpoint-catalogue.ts";
import { parseExtensions } from "../../protocol/extensions.ts";
import { decideHandshake } from "../../protocol/handshake-decision.ts";
import { headerValue } from "../../protocol/header-list.ts";
import type { HandshakeEvent } from "../../protocol/inspector-events.ts";
import { formatCount } from "../../shared/format-count.ts";
import type { ServerRecord } from "../../stores/connections-store.ts";

export interface VerdictInput {
  /** The URL the attempt went to (with its `tap`, when tapped). */
  url: string;
  /** `location.host` of the page: a URL on the same host is the companion server. */
  pageHost: string;
  /** `location.protocol` of the page: `http:` means its port speaks plain HTTP. */
  pageProtocol: string;
  offered: readonly string[];
  /** The phase of the attempt. */
  phase: "idle" | "connecting" | "open" | "failed";
  /** `socket.protocol` once open. */
  protocol: string;
  /** `socket.extensions` once open. */
  extensions: string;
  /** The exception `new WebSocket()` threw, if it did. */
  constructError?: string | undefined;
  /** The attempt's tap id; "" when the companion server does not record it. */
  tapId: string;
  /** The server's record of the handshake, once it arrived. */
  handshake: HandshakeEvent | null;
  serverRecord: ServerRecord;
  endpoints: readonly EndpointSpec[] | undefined;
}

export interface Verdict {
  tone: "info" | "ok" | "error";
  title: string;
  detail: string;
}

const list = (names: readonly string[]) =>
  names.length > 0 ? names.map((name) => `'${name}'`).join(", ") : "none";

/** Why a refusal never reaches a script: said once, appended to every refusal's verdict. */
const HIDDEN_REFUSAL =
  "RFC 6455 §4.1: on any status but 101 the client fails the connection, and the browser shows a script only close code 1006 (WHATWG WebSockets).";

export function negotiationVerdict(input: VerdictInput): Verdict {
  if (input.constructError !== undefined) {
    return {
      tone: "error",
      title: "Your browser refused to start the connection.",
      detail: `new WebSocket() threw: ${input.constructError} No request was sent, so no server saw this attempt. It throws for a malformed URL or one that is not ws:, wss:, http: or https:, for subprotocol names that are not HTTP tokens or that repeat, and for ws: from an https: page.`,
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
        detail: `Offered: ${list(input.offered)}.`,
      };
    case "open":
      return openVerdict(input);
    case "failed":
      return failureVerdict(input);
  }
}

function openVerdict({ offered, protocol, extensions }: VerdictInput): Verdict {
  const names = parseExtensions(extensions).map((extension) => extension.name);
  const negotiated =
    names.length > 0
      ? ` The server also accepted the extension ${names.join(", ")} (socket.extensions: ${extensions})${names.includes("permessage-deflate") ? ", so messages may cross the wire compressed (RFC 7692)" : ""}.`
      : "";
  if (protocol) {
    return {
      tone: "ok",
      title: `Matched '${protocol}'.`,
      detail: `You offered ${list(offered)}; the server chose '${protocol}' and named it in its Sec-WebSocket-Protocol response header. socket.protocol now says so, and both sides speak it from here on.${negotiated}`,
    };
  }
  if (names.length > 0) {
    return {
      tone: "ok",
      title: `Open with ${names.join(", ")}, and no subprotocol.`,
      detail: `${offered.length === 0 ? "You offered no subprotocol" : `You offered ${list(offered)} and the server chose none`}, so socket.protocol is the empty string.${negotiated}`,
    };
  }
  if (offered.length === 0) {
    return {
      tone: "info",
      title: "No subprotocol offered: plain WebSocket.",
      detail:
        "The request carried no Sec-WebSocket-Protocol header, so the response names none and socket.protocol is the empty string. No extension was agreed either: socket.extensions is empty.",
    };
  }
  return {
    tone: "info",
    title: "Open with no subprotocol.",
    detail: `You offered ${list(offered)}; socket.protocol is the empty string, so the response named none. No extension was agreed either: socket.extensions is empty.`,
  };
}

function failureVerdict(input: VerdictInput): Verdict {
  let url: URL | undefined;
  try {
    url = new URL(input.url);
  } catch {
    url = undefined;
  }
  if (input.handshake && input.handshake.response.status !== 101) {
    return refusalVerdict(input.handshake);
  }
  if (url && isTlsToPlainPort(url, input.pageHost, input.pageProtocol)) {
    const confirmed =
      input.serverRecord === "absent"
        ? " The server confirms it received no HTTP request for this attempt."
        : "";
    return {
      tone: "error",
      title: "wss: to a port that speaks plain HTTP: the TLS handshake failed.",
      detail: `This page came from http://${url.host}, so that port speaks plain HTTP, and wss: made the browser open with a TLS ClientHello the server cannot read: no HTTP request was ever made.${confirmed} The browser reports only close code 1006; use ws://${url.host}${url.pathname} (or start the server with --https).`,
    };
  }
  if (!input.tapId || !url) return unrecordedVerdict(url);
  if (input.handshake) return acceptedThenFailedVerdict(input, input.handshake);
  if (input.serverRecord === "absent") {
    return {
      tone: "error",
      title: "No HTTP request reached the server.",
      detail: `The server has no record of this attempt's tap id ${input.tapId}, so the connection failed before a request arrived: something between the browser and the server refused, reset or did not speak HTTP. The browser reports only close code 1006 and no reason (WHATWG WebSockets).`,
    };
  }
  // The record is on its way: replay the server's decision, which runs the same code.
  const replayed = replayVerdict(input, url);
  if (replayed) return replayed;
  return {
    tone: "error",
    title: "The connection failed before it opened (close code 1006).",
    detail:
      input.serverRecord === "unreadable"
        ? "The browser does not tell a script why, and the page could not ask the server for its record of this handshake (is the server still running?): the reason is unknown."
        : "The browser does not tell a script why. Waiting for the server's record of this handshake, which will say what it answered.",
  };
}

/** A handshake the server refused, from its record: the status and the reason it sent. */
function refusalVerdict(handshake: HandshakeEvent): Verdict {
  const { request, response } = handshake;
  const reason = response.body?.trim();
  const said = reason ? ` Its reason: ${reason}` : "";
  switch (response.status) {
    case 403: {
      const origin = headerValue(request.headers, "Origin") || "(none)";
      const host = headerValue(request.headers, "Host") || "(none)";
      return {
        tone: "error",
        title: "The server refused this page's Origin: HTTP 403.",
        detail: `The request came from Origin ${origin} to Host ${host}; the server lets in only its own page's origin, clients that send no Origin, and ALLOWED_ORIGINS.${said} ${HIDDEN_REFUSAL}`,
      };
    }
    case 421: {
      const host = headerValue(request.headers, "Host") || "(none)";
      return {
        tone: "error",
        title: `The server does not answer to the name ${host}: HTTP 421.`,
        detail: `It serves only loopback names, the address it is bound to, its own network addresses and ALLOWED_HOSTS, so that a web page elsewhere cannot reach it through a DNS name that was pointed at it (DNS rebinding).${said} ${HIDDEN_REFUSAL}`,
      };
    }
    case 404:
      return {
        tone: "error",
        title: `No WebSocket endpoint at ${pathOf(request.url)}: HTTP 404.`,
        detail: `The server answered the path with 404; pick an endpoint from the list.${said} ${HIDDEN_REFUSAL}`,
      };
    case 431: {
      const line = `${request.method} ${request.url} HTTP/${request.httpVersion}\r\n`.length;
      const headers = request.headers.reduce(
        (sum, [name, value]) => sum + `${name}: ${value}\r\n`.length,
        0,
      );
      return {
        tone: "error",
        title: "The request's head was too large: HTTP 431.",
        detail: `Its request line took ${formatCount(line)} bytes and the headers the server read ${formatCount(headers)} more, past what the server's HTTP parser accepts; shorten the URL or the headers.${said} ${HIDDEN_REFUSAL}`,
      };
    }
    case 503:
      return {
        tone: "error",
        title: "The server is unavailable for now: HTTP 503.",
        detail: `A 503 is temporary: the server is busy or shutting down, so try again later.${said} ${HIDDEN_REFUSAL}`,
      };
    default:
      return {
        tone: "error",
        title: `The server refused the handshake: HTTP ${response.status}.`,
        detail: `${reason ? `Its reason: ${reason}` : "It gave no reason."} ${HIDDEN_REFUSAL}`,
      };
  }
}

/** The server answered 101, yet the socket never opened: the browser failed it. */
function acceptedThenFailedVerdict(input: VerdictInput, handshake: HandshakeEvent): Verdict {
  const answered = headerValue(handshake.response.headers, "Sec-WebSocket-Protocol");
  if (input.offered.length > 0 && !answered) {
    return noMatchVerdict(input.offered, undefined);
  }
  if (answered && !input.offered.includes(answered)) return unofferedVerdict(answered);
  return {
    tone: "error",
    title: "The server answered 101, but the browser failed the connection (close code 1006).",
    detail:
      "The server's record shows it accepted this handshake, so the browser rejected something in the response or the connection dropped right after; the browser does not tell a script which (WHATWG WebSockets). The handshake panel shows the response it got.",
  };
}

/** No record yet: what the server will have done, by running its own decision. */
function replayVerdict(input: VerdictInput, url: URL): Verdict | undefined {
  if (url.host !== input.pageHost) return undefined;
  const endpoint = input.endpoints?.find((candidate) => candidate.path === url.pathname);
  if (!endpoint) return undefined;
  const decision = decideHandshake(endpoint, url.searchParams, input.offered);
  if (decision.kind === "refuse") {
    return {
      tone: "error",
      title: `The server refused the handshake: HTTP ${decision.status}.`,
      detail: `Its reason: ${decision.reason} ${HIDDEN_REFUSAL}`,
    };
  }
  const { outcome } = decision;
  if (outcome.kind === "no-match") return noMatchVerdict(outcome.offered, outcome.accepted);
  if (outcome.kind === "unoffered") return unofferedVerdict(outcome.protocol);
  return undefined;
}

function noMatchVerdict(
  offered: readonly string[],
  accepted: readonly string[] | undefined,
): Verdict {
  const accepts = accepted ? `; this endpoint accepts ${list(accepted)}` : "";
  return {
    tone: "error",
    title: "The server chose none, so your browser refused the connection.",
    detail: `You offered ${list(offered)}${accepts}. With no match the server answered without a Sec-WebSocket-Protocol header, and a browser that offered subprotocols must then fail the connection (WHATWG WebSockets standard), which it reports as close code 1006. A non-browser client may carry on without one; add require=1 to make the server refuse with HTTP 400 instead.`,
  };
}

function unofferedVerdict(protocol: string): Verdict {
  return {
    tone: "error",
    title: `The server answered '${protocol}', which you did not offer, so your browser refused the connection.`,
    detail:
      "RFC 6455 §4.1: if the response names a subprotocol the client did not request, the client must fail the WebSocket connection. The browser reports it as close code 1006.",
  };
}

/** Another server, or a malformed URL: nothing recorded the attempt. */
function unrecordedVerdict(url: URL | undefined): Verdict {
  const where = url ? url.host : "that address";
  return {
    tone: "error",
    title: `The connection to ${where} failed before it opened: close code 1006, no reason.`,
    detail: `For every failure before open the browser gives a script only close code 1006 and no reason (WHATWG WebSockets), so the page cannot tell whether nothing listens there, the host is unreachable, TLS failed or the server refused the handshake. ${where} is not this page's server, so nothing recorded the attempt; the browser's DevTools (Network panel) show what, if anything, came back.`,
  };
}

/** A wss: URL to the very host and port this page was loaded from over plain HTTP. */
function isTlsToPlainPort(url: URL, pageHost: string, pageProtocol: string): boolean {
  return url.protocol === "wss:" && pageProtocol === "http:" && url.host === pageHost;
}

function pathOf(target: string): string {
  return new URL(target, "http://localhost").pathname;
}
