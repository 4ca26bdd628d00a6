import { beforeEach, describe, expect, it } from "vitest";
import { useConnections } from "../stores/connections-store.ts";
import { scenarioCard } from "./scenario.ts";
import { cardInitOf, scenarioCardOf } from "./scenario-cards.ts";

const page = { protocol: "http:", host: "127.0.0.1:8000" };

describe("a card in a scenario", () => {
  beforeEach(() => {
    for (const id of useConnections.getState().order) useConnections.getState().removeCard(id);
  });

  it("comes back as the same card", () => {
    const card = scenarioCard({
      mode: "socketio",
      url: "/echo?accept=chat.v1",
      subprotocols: "chat.v1, json",
      reconnect: true,
      composer: { format: "hex", text: "de ad", times: 3 },
      socketIo: { url: "", namespaces: "/chat", transports: "websocket", auth: '{"t":1}' },
      emit: { namespace: "/chat", event: "say", args: '"hi"', ack: true },
    });
    const id = useConnections.getState().addCard(cardInitOf(card, page));
    const state = useConnections.getState().cards[id];
    if (!state) throw new Error("no card");
    expect(state.url).toBe("ws://127.0.0.1:8000/echo?accept=chat.v1");
    expect(state.socketIo.url).toBe("http://127.0.0.1:8000");
    const lanes = [{ service: "echo", params: {} }];
    expect(scenarioCardOf(state, page, { lanes, collapsed: ["faults"] })).toEqual({
      ...card,
      muxLanes: lanes,
      collapsed: ["faults"],
    });
  });

  it("keeps an emptied Times field as 1", () => {
    const id = useConnections
      .getState()
      .addCard(cardInitOf(scenarioCard({ composer: { times: Number.NaN } }), page));
    const state = useConnections.getState().cards[id];
    if (!state) throw new Error("no card");
    expect(scenarioCardOf(state, page, { lanes: [], collapsed: [] }).composer.times).toBe(1);
  });
});
