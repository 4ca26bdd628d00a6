/**
 * A card of the connections store ↔ a scenario card. Pure: the page's origin, the card's lanes
 * and its collapsed panels are passed in.
 */
import type { CardInit, CardState } from "../stores/connections-store.ts";
import type { PlannedLane } from "../stores/mux-store.ts";
import { type PageOrigin, relativeToPage, resolveOnPage, type ScenarioCard } from "./scenario.ts";

/** What a scenario keeps of a card. */
export function scenarioCardOf(
  card: CardState,
  page: PageOrigin,
  extras: { lanes: PlannedLane[]; collapsed: string[] },
): ScenarioCard {
  const io = card.socketIo;
  return {
    mode: card.mode,
    url: relativeToPage(card.url, page, "ws"),
    subprotocols: card.subprotocolsText,
    reconnect: card.reconnect,
    composer: {
      format: card.composer.format,
      text: card.composer.text,
      // An empty Times field is kept as its last sensible value.
      times:
        Number.isInteger(card.composer.times) && card.composer.times >= 1 ? card.composer.times : 1,
    },
    socketIo: {
      url: relativeToPage(io.url, page, "http"),
      namespaces: io.namespacesText,
      transports: io.transports,
      auth: io.authText,
      listen: io.listen,
      listenEvents: io.listenEventsText,
    },
    emit: {
      namespace: card.emit.namespace,
      event: card.emit.event,
      args: card.emit.argsText,
      ack: card.emit.ack,
    },
    muxLanes: extras.lanes.map((lane) => ({ service: lane.service, params: { ...lane.params } })),
    collapsed: [...extras.collapsed],
  };
}

/** What a new card is given to become the scenario's card (lanes and panels apart). */
export function cardInitOf(card: ScenarioCard, page: PageOrigin): Required<CardInit> {
  return {
    mode: card.mode,
    url: resolveOnPage(card.url, page, "ws"),
    subprotocolsText: card.subprotocols,
    reconnect: card.reconnect,
    composer: { ...card.composer },
    socketIo: {
      url: resolveOnPage(card.socketIo.url, page, "http"),
      namespacesText: card.socketIo.namespaces,
      transports: card.socketIo.transports,
      authText: card.socketIo.auth,
      listen: card.socketIo.listen,
      listenEventsText: card.socketIo.listenEvents,
    },
    emit: {
      namespace: card.emit.namespace,
      event: card.emit.event,
      argsText: card.emit.args,
      ack: card.emit.ack,
    },
  };
}
