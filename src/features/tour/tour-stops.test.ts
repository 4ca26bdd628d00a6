import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { findEndpoint } from "../../protocol/endpoint-catalogue.ts";
import { decideHandshake } from "../../protocol/handshake-decision.ts";
import { checkServiceParams, findMuxService } from "../../protocol/mux-services.ts";
import { parseSubprotocolList } from "../../protocol/subprotocol.ts";
import { MAX_SCENARIO_CARDS, parseScenario, type ScenarioCard } from "../../scenarios/scenario.ts";
import {
  CHAPTER_TEXT,
  neighbourStop,
  stopButtonName,
  stopNoticePrefix,
  TOUR_STOPS,
  type TourStop,
  tourCardSummary,
  tourSentenceParts,
} from "./tour-stops.ts";

/** What this server does with a raw card's handshake, by the same function the server runs. */
function decisionFor(card: ScenarioCard) {
  const url = new URL(card.url, "ws://page.example");
  const endpoint = findEndpoint(url.pathname);
  if (!endpoint) throw new Error(`no endpoint ${url.pathname}`);
  return decideHandshake(endpoint, url.searchParams, parseSubprotocolList(card.subprotocols));
}

function stopTitled(title: string): TourStop {
  const stop = TOUR_STOPS.find((candidate) => candidate.title.startsWith(title));
  if (!stop) throw new Error(`no stop ${title}`);
  return stop;
}

describe("the tour's stops", () => {
  it("follow the chapter: subprotocols, extensions, multiplexing, Socket.IO", () => {
    expect(TOUR_STOPS.map((stop) => stop.title)).toEqual([
      "Subprotocols",
      "Extensions: permessage-deflate",
      "Multiplexing",
      "Socket.IO",
    ]);
  });

  it.each(TOUR_STOPS.map((stop) => [stop.title, stop] as const))(
    "%s: two or three sentences and a scenario a link could carry",
    (_title, stop) => {
      expect(stop.sentences.length).toBeGreaterThanOrEqual(2);
      expect(stop.sentences.length).toBeLessThanOrEqual(3);
      for (const sentence of stop.sentences) expect(sentence).toMatch(/^[A-Z].*[.!]$/);
      expect(stop.scenario.title).toBe(stop.title);
      expect(stop.scenario.cards.length).toBeGreaterThan(0);
      expect(stop.scenario.cards.length).toBeLessThanOrEqual(MAX_SCENARIO_CARDS);
      // The same checks a shared link or an imported file goes through.
      expect(parseScenario(JSON.parse(JSON.stringify(stop.scenario)))).toEqual({
        ok: true,
        scenario: stop.scenario,
      });
      // On the page's own server, whatever address the page was opened at.
      for (const card of stop.scenario.cards) {
        expect(card.url.startsWith("/")).toBe(true);
        expect(card.socketIo.url).toBe("");
      }
      for (const link of stop.links) expect(link.href.startsWith("/")).toBe(true);
    },
  );

  it("every raw card's query is one this server takes, or refused on purpose", () => {
    const decisions = TOUR_STOPS.flatMap((stop) =>
      stop.scenario.cards
        .filter((card) => card.mode === "websocket")
        .map((card) => [card.url, card.subprotocols, decisionFor(card).kind]),
    );
    expect(decisions).toEqual([
      ["/ws", "my-subprotocol", "accept"],
      ["/ws", "", "refuse"],
      ["/echo", "my-subprotocol", "accept"],
      ["/echo", "", "accept"],
      ["/deflate", "", "accept"],
      ["/mux", "mux.v1", "accept"],
      ["/echo", "", "accept"],
    ]);
  });

  it("subprotocols: the chapter's snippet, a refused handshake, and a 101 that names none", () => {
    const [snippet, refused, none] = stopTitled("Subprotocols").scenario.cards;
    if (!snippet || !refused || !none) throw new Error("three cards expected");
    expect(decisionFor(snippet)).toMatchObject({
      kind: "accept",
      outcome: { kind: "matched", protocol: "my-subprotocol" },
    });
    expect(snippet.composer.text).toBe(CHAPTER_TEXT);
    expect(decisionFor(refused)).toMatchObject({ kind: "refuse", status: 400 });
    // Accepted by the server with no subprotocol: the browser, having offered one, fails it.
    expect(decisionFor(none)).toMatchObject({ kind: "accept", outcome: { kind: "no-match" } });
  });

  it("extensions: /echo and /deflate with the same message, one that deflates well", () => {
    const cards = stopTitled("Extensions").scenario.cards;
    expect(cards.map((card) => card.url)).toEqual(["/echo", "/deflate"]);
    const [plain, deflated] = cards;
    expect(plain?.composer).toEqual(deflated?.composer);
    const text = plain?.composer.text ?? "";
    expect(text.length).toBeGreaterThan(500);
    // Deflated alone (no context yet), as the first message on /deflate is.
    expect(deflateRawSync(text).length).toBeLessThan(text.length / 5);
  });

  it("multiplexing: a /mux card with mux.v1 and lanes the server opens", () => {
    const [mux] = stopTitled("Multiplexing").scenario.cards;
    expect(mux?.subprotocols).toBe("mux.v1");
    expect(mux?.muxLanes.map((lane) => lane.service)).toEqual(["echo", "clock"]);
    for (const lane of mux?.muxLanes ?? []) {
      const service = findMuxService(lane.service);
      expect(service).toBeDefined();
      if (service) expect(checkServiceParams(service, lane.params).ok).toBe(true);
    }
  });

  it("Socket.IO: the chapter's message event, and its HTML client page", () => {
    const stop = stopTitled("Socket.IO");
    const [card] = stop.scenario.cards;
    expect(card?.mode).toBe("socketio");
    expect(card?.emit).toEqual({
      namespace: "/",
      event: "message",
      args: JSON.stringify(CHAPTER_TEXT),
      ack: false,
    });
    expect(stop.links.map((link) => link.href)).toEqual(["/examples/socketio-client.html"]);
    // What the server answers the chapter's client page (e2e/tour-stops.spec.ts opens it).
    expect(stop.sentences.join(" ")).toContain(`Received: ${CHAPTER_TEXT}`);
  });
});

describe("tour helpers", () => {
  it("names each stop's button uniquely and the notice by its number", () => {
    const names = TOUR_STOPS.map((stop, index) => stopButtonName(index, stop));
    expect(names[0]).toBe("Open stop 1: Subprotocols");
    expect(new Set(names).size).toBe(TOUR_STOPS.length);
    expect(stopNoticePrefix(3)).toBe("Tour stop 4:");
  });

  it("sums up each kind of card", () => {
    const summaries = TOUR_STOPS.map((stop) => stop.scenario.cards.map(tourCardSummary));
    expect(summaries[0]).toEqual([
      "/ws offering my-subprotocol",
      "/ws offering no subprotocol",
      "/echo offering my-subprotocol",
    ]);
    expect(summaries[2]?.[0]).toBe("/mux offering mux.v1, lanes echo and clock");
    expect(summaries[3]).toEqual([
      'Socket.IO to this server, namespaces /, /chat, /news; Emit ready: message "Hello, Server!"',
    ]);
  });

  it("steps to a neighbour, never past either end", () => {
    expect(neighbourStop(0, -1, 4)).toBeUndefined();
    expect(neighbourStop(0, 1, 4)).toBe(1);
    expect(neighbourStop(3, -1, 4)).toBe(2);
    expect(neighbourStop(3, 1, 4)).toBeUndefined();
  });

  it("splits code out of a sentence", () => {
    expect(tourSentenceParts("Open `/ws` with `my-subprotocol`.")).toEqual([
      { code: false, text: "Open " },
      { code: true, text: "/ws" },
      { code: false, text: " with " },
      { code: true, text: "my-subprotocol" },
      { code: false, text: "." },
    ]);
    expect(tourSentenceParts("`a`")).toEqual([{ code: true, text: "a" }]);
    expect(tourSentenceParts("no code")).toEqual([{ code: false, text: "no code" }]);
    expect(tourSentenceParts("one ` tick")).toEqual([{ code: false, text: "one ` tick" }]);
  });
});
