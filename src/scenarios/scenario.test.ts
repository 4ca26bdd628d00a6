import { describe, expect, it } from "vitest";
import {
  MAX_SCENARIO_CARDS,
  makeScenario,
  parseScenario,
  parseScenarioJson,
  relativeToPage,
  resolveOnPage,
  SCENARIO_FORMAT,
  scenarioCard,
} from "./scenario.ts";

const page = { protocol: "http:", host: "192.168.1.5:8000" };

describe("parseScenario", () => {
  it("reads back what makeScenario wrote, through JSON", () => {
    const scenario = makeScenario(
      [
        scenarioCard({ url: "/ws", subprotocols: "my-subprotocol", reconnect: true }),
        scenarioCard({
          mode: "socketio",
          emit: { event: "message", args: '"Hello Server!"' },
          collapsed: ["faults"],
        }),
        scenarioCard({ url: "/mux", muxLanes: [{ service: "clock", params: { interval: 100 } }] }),
      ],
      "Workshop",
    );
    expect(parseScenarioJson(JSON.stringify(scenario))).toEqual({ ok: true, scenario });
  });

  it("fills in what a hand-written file leaves out", () => {
    const parsed = parseScenario({
      format: SCENARIO_FORMAT,
      version: 1,
      cards: [{ url: "/deflate", composer: { text: "aaaa" } }],
    });
    expect(parsed.ok && parsed.scenario.cards[0]).toEqual(
      scenarioCard({ url: "/deflate", composer: { text: "aaaa" } }),
    );
    expect(parsed.ok && parsed.scenario.title).toBe("");
  });

  it("names the field that is wrong", () => {
    const base = { format: SCENARIO_FORMAT, version: 1 };
    const reason = (value: unknown) => {
      const parsed = parseScenario(value);
      return parsed.ok ? "accepted" : parsed.reason;
    };
    expect(reason([])).toBe("scenario: must be an object");
    expect(reason({ ...base, format: "x" })).toMatch(/^scenario\.format: must be/);
    expect(reason({ ...base, version: 2 })).toBe(
      "scenario.version: is 2; this page reads version 1",
    );
    expect(reason({ ...base, cards: [{ mode: "mqtt" }] })).toBe(
      'scenario.cards[0].mode: must be one of "websocket", "socketio"',
    );
    expect(reason({ ...base, cards: [{}, { composer: { times: 0 } }] })).toBe(
      "scenario.cards[1].composer.times: must be a whole number of at least 1",
    );
    expect(reason({ ...base, cards: [{ muxLanes: [{ params: {} }] }] })).toBe(
      "scenario.cards[0].muxLanes[0].service: must be a service name",
    );
    expect(reason({ ...base, cards: [{ reconnect: "yes" }] })).toBe(
      "scenario.cards[0].reconnect: must be true or false",
    );
    expect(reason({ ...base, cards: Array(MAX_SCENARIO_CARDS + 1).fill({}) })).toBe(
      `scenario.cards: may hold at most ${MAX_SCENARIO_CARDS} entries`,
    );
    expect(reason({ ...base, cards: [{ url: "x".repeat(100_001) }] })).toBe(
      "scenario.cards[0].url: is longer than 100000 characters",
    );
  });

  it("says when a file is not JSON at all", () => {
    const parsed = parseScenarioJson("{nope");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/^not JSON: /);
  });
});

describe("URLs on the page's own server", () => {
  it("are kept relative, and follow the address the scenario is opened at", () => {
    expect(relativeToPage("ws://192.168.1.5:8000/echo?x=1", page, "ws")).toBe("/echo?x=1");
    expect(relativeToPage("http://192.168.1.5:8000", page, "http")).toBe("");
    const elsewhere = { protocol: "https:", host: "demo.example:8443" };
    expect(resolveOnPage("/echo?x=1", elsewhere, "ws")).toBe("wss://demo.example:8443/echo?x=1");
    expect(resolveOnPage("", elsewhere, "http")).toBe("https://demo.example:8443");
  });

  it("leave other servers', other schemes' and look-alike hosts' URLs as they are", () => {
    for (const url of [
      "wss://echo.example/ws",
      "wss://192.168.1.5:8000/echo",
      "ws://192.168.1.5:80001/echo",
      "ws://192.168.1.5:8000.evil/echo",
    ]) {
      expect(relativeToPage(url, page, "ws")).toBe(url);
      expect(resolveOnPage(url, page, "ws")).toBe(url);
    }
  });
});
