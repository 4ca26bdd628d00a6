/**
 * The Tour: one stop per section of the chapter this playground accompanies (subprotocols,
 * extensions, multiplexing, Socket.IO). Each stop is a few plain sentences and a scenario whose
 * cards show the evidence for them, the chapter's own snippets included. Pure data and small pure
 * helpers: the panel (TourPanel.tsx) opens a stop's scenario.
 *
 * Every sentence here was checked against this server and Chromium (tour-stops.test.ts checks
 * what can be checked without a browser; e2e/tour-stops.spec.ts the rest).
 */
import {
  makeScenario,
  type Scenario,
  type ScenarioCard,
  scenarioCard,
} from "../../scenarios/scenario.ts";

export interface TourLink {
  /** On the page's own server ("/examples/…"). */
  href: string;
  label: string;
}

export interface TourStop {
  title: string;
  /**
   * Two or three sentences. Text between backticks is code (a header, a path, a command):
   * `tourSentenceParts` splits it out.
   */
  sentences: readonly string[];
  /** Pages to open beside the cards (the chapter's own client). */
  links: readonly TourLink[];
  scenario: Scenario;
}

/** What the chapter's clients send. */
export const CHAPTER_TEXT = "Hello, Server!";

/** One sentence repeated: a message that deflates to a fraction of its size. */
const COMPRESSIBLE_TEXT = Array.from(
  { length: 16 },
  () => "HTTP middleware never sees a WebSocket frame. ",
)
  .join("")
  .trim();

const subprotocols: TourStop = {
  title: "Subprotocols",
  sentences: [
    "The client offers subprotocols in `Sec-WebSocket-Protocol` and the server answers with one of them or none (RFC 6455 §4.2.2): the chapter's `/ws` speaks only `my-subprotocol` and answers each text with `Received: <text>`.",
    "Closing the socket before accepting it refuses the handshake: no 101 is sent, and the browser reports only close code 1006, never the HTTP status (400 from `/ws` here) or its reason.",
    "A browser that offered subprotocols fails the connection itself when the 101 names none (WHATWG WebSockets standard): `/echo` does not speak `my-subprotocol`, accepts without it, and the card still ends with 1006.",
  ],
  links: [],
  scenario: makeScenario(
    [
      scenarioCard({
        url: "/ws",
        subprotocols: "my-subprotocol",
        composer: { text: CHAPTER_TEXT },
      }),
      scenarioCard({ url: "/ws", subprotocols: "", composer: { text: CHAPTER_TEXT } }),
      scenarioCard({
        url: "/echo",
        subprotocols: "my-subprotocol",
        composer: { text: CHAPTER_TEXT },
      }),
    ],
    "Subprotocols",
  ),
};

const extensions: TourStop = {
  title: "Extensions: permessage-deflate",
  sentences: [
    "Extensions are agreed in the same handshake, in `Sec-WebSocket-Extensions` (RFC 6455 §9): Chromium offers permessage-deflate (RFC 7692) on every connection, `/deflate` accepts it and `/echo` does not.",
    "HTTP compression such as GZipMiddleware does not compress WebSocket messages: `Accept-Encoding` offers codings for HTTP bodies, and after the 101 the connection carries frames, which only permessage-deflate compresses.",
    "Press Send on both cards: the Compression panels show the same repetitive text crossing `/deflate` compressed (RSV1 set) in a fraction of the bytes, and `/echo` at full size.",
  ],
  links: [],
  scenario: makeScenario(
    [
      scenarioCard({ url: "/echo", composer: { text: COMPRESSIBLE_TEXT } }),
      scenarioCard({ url: "/deflate", composer: { text: COMPRESSIBLE_TEXT } }),
    ],
    "Extensions: permessage-deflate",
  ),
};

const multiplexing: TourStop = {
  title: "Multiplexing",
  sentences: [
    "A WebSocket is one ordered stream of messages with no channels of its own: multiplexing is added above it, by a subprotocol, or below it, by HTTP/2.",
    'Above: the `/mux` card speaks `mux.v1` and opens two lanes, `echo` and `clock`, over its one socket, the messages of each lane marked with its channel number (text frames carry JSON envelopes such as `{"op":"data","ch":1,…}`).',
    "Below: WebSocket over HTTP/2 (RFC 8441) makes each WebSocket a stream of one TCP connection; the TCP connections panel shows these two cards on one connection when the page comes from `npm start -- --https`, and on two over HTTP/1.1.",
  ],
  links: [],
  scenario: makeScenario(
    [
      scenarioCard({
        url: "/mux",
        subprotocols: "mux.v1",
        muxLanes: [
          { service: "echo", params: {} },
          { service: "clock", params: { interval: 1000 } },
        ],
      }),
      scenarioCard({ url: "/echo", composer: { text: CHAPTER_TEXT } }),
    ],
    "Multiplexing",
  ),
};

const socketIo: TourStop = {
  title: "Socket.IO",
  sentences: [
    'Socket.IO is a protocol of its own on Engine.IO, not plain WebSocket: the connection starts with HTTP long-polling, upgrades to a WebSocket, and carries each event as a packet such as `42["message",…]`.',
    "This card emits the chapter's `message` event and the server answers `message` with `Received: …`; its namespaces `/chat` and `/news` share the same Engine.IO connection.",
    "The chapter's own HTML client page is served here too, its script from this server instead of a CDN, and it shows `Received: Hello, Server!` as soon as it connects.",
  ],
  links: [{ href: "/examples/socketio-client.html", label: "The chapter's Socket.IO client page" }],
  scenario: makeScenario(
    [
      scenarioCard({
        mode: "socketio",
        emit: { namespace: "/", event: "message", args: JSON.stringify(CHAPTER_TEXT), ack: false },
      }),
    ],
    "Socket.IO",
  ),
};

/** The stops, in the chapter's order. */
export const TOUR_STOPS: readonly TourStop[] = [subprotocols, extensions, multiplexing, socketIo];

/** The accessible name of the button that opens stop `index` (0-based), unique on the page. */
export function stopButtonName(index: number, stop: TourStop): string {
  return `Open stop ${index + 1}: ${stop.title}`;
}

/** How the scenario notice names what replaced the cards. */
export function stopNoticePrefix(index: number): string {
  return `Tour stop ${index + 1}:`;
}

/** The stop `step` away from `index`, or undefined past either end. */
export function neighbourStop(index: number, step: -1 | 1, count = TOUR_STOPS.length) {
  const next = index + step;
  return next >= 0 && next < count ? next : undefined;
}

/** A card of a stop in a few words, for the list under the stop's sentences. */
export function tourCardSummary(card: ScenarioCard): string {
  if (card.mode === "socketio") {
    const where = card.socketIo.url === "" ? "this server" : card.socketIo.url;
    return `Socket.IO to ${where}, namespaces ${card.socketIo.namespaces}; Emit ready: ${card.emit.event} ${card.emit.args}`;
  }
  const offer = card.subprotocols.trim() === "" ? "no subprotocol" : card.subprotocols;
  const lanes =
    card.muxLanes.length === 0
      ? ""
      : `, lanes ${card.muxLanes.map((lane) => lane.service).join(" and ")}`;
  return `${card.url} offering ${offer}${lanes}`;
}

export type SentencePart = { code: boolean; text: string };

/** Splits a sentence into prose and `code` parts; an unmatched backtick stays prose. */
export function tourSentenceParts(sentence: string): SentencePart[] {
  const parts: SentencePart[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (const match of sentence.matchAll(pattern)) {
    if (match.index > last) parts.push({ code: false, text: sentence.slice(last, match.index) });
    parts.push({ code: true, text: match[1] as string });
    last = match.index + match[0].length;
  }
  if (last < sentence.length) parts.push({ code: false, text: sentence.slice(last) });
  return parts;
}
