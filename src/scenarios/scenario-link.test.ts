import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { makeScenario, scenarioCard } from "./scenario.ts";
import {
  decodeScenario,
  encodeScenario,
  MAX_SCENARIO_JSON_BYTES,
  readFragment,
  scenarioLink,
} from "./scenario-link.ts";

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

describe("a scenario in a link", () => {
  it("round-trips, and a long repetitive scenario stays short", async () => {
    const scenario = makeScenario(
      Array.from({ length: 8 }, (_, i) =>
        scenarioCard({ url: `/deflate?level=${i}`, composer: { text: "ping ".repeat(2_000) } }),
      ),
      "Eight cards",
    );
    const encoded = await encodeScenario(scenario);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded.length).toBeLessThan(JSON.stringify(scenario).length / 20);
    expect(await decodeScenario(encoded)).toEqual({ ok: true, scenario });
  });

  it("is read by zlib too: it is plain raw DEFLATE in base64url", async () => {
    const scenario = makeScenario([scenarioCard({ url: "/ws" })]);
    const fromZlib = base64url(deflateRawSync(JSON.stringify(scenario)));
    expect(await decodeScenario(fromZlib)).toEqual({ ok: true, scenario });
  });

  it("refuses what is not one, with the reason", async () => {
    const reason = async (encoded: string) => {
      const decoded = await decodeScenario(encoded);
      return decoded.ok ? "accepted" : decoded.reason;
    };
    expect(await reason("not base64!")).toBe("the link's scenario is not base64url text");
    expect(await reason(base64url(new Uint8Array([0xff, 0xff, 0xff])))).toMatch(/not DEFLATE/);
    const valid = await encodeScenario(makeScenario([scenarioCard()]));
    expect(await reason(valid.slice(0, valid.length / 2))).toMatch(/not DEFLATE/);
    expect(await reason(base64url(deflateRawSync("{]")))).toMatch(/^not JSON/);
    expect(await reason(base64url(deflateRawSync(Buffer.from([0xc3, 0x28]))))).toBe(
      "the link's scenario is not UTF-8 text",
    );
    expect(await reason(base64url(deflateRawSync('{"format":"x"}')))).toMatch(/^scenario\.format/);
  });

  it("stops inflating a bomb at the limit", async () => {
    const bomb = base64url(deflateRawSync(Buffer.alloc(MAX_SCENARIO_JSON_BYTES * 4, 0x20)));
    expect(bomb.length).toBeLessThan(20_000);
    expect(await decodeScenario(bomb)).toEqual({
      ok: false,
      reason: "the link's scenario inflates to more than 2 MiB",
    });
  });
});

describe("the fragment", () => {
  it("carries the scenario and an optional connect, in any order", () => {
    expect(readFragment("#scenario=abc")).toEqual({ encoded: "abc", connect: false });
    expect(readFragment("#connect&scenario=abc")).toEqual({ encoded: "abc", connect: true });
    expect(readFragment("", "?present&connect")).toEqual({ encoded: undefined, connect: true });
  });

  it("replaces the page's own fragment in the link", () => {
    expect(scenarioLink("http://h:8000/?present#old", "abc")).toBe(
      "http://h:8000/?present#scenario=abc",
    );
    expect(scenarioLink("http://h:8000/", "abc", true)).toBe("http://h:8000/#scenario=abc&connect");
  });
});
