import { describe, expect, it } from "vitest";
import { ENDPOINTS, findEndpoint, INSPECT_PARAMS } from "./endpoint-catalogue.ts";
import { type ParamSpec, type ParamValue, parseParams } from "./endpoint-params.ts";
import { decideHandshake } from "./handshake-decision.ts";

const CATALOGUES: [string, readonly ParamSpec[]][] = [
  ...ENDPOINTS.map((endpoint): [string, readonly ParamSpec[]] => [
    endpoint.path,
    endpoint.parameters,
  ]),
  ["/inspect", INSPECT_PARAMS],
];
const EVERY_PARAM = CATALOGUES.flatMap(([path, specs]) =>
  specs.map((spec): [string, ParamSpec] => [`${path} ${spec.name}`, spec]),
);

/** A default as a query would spell it. */
function queryValue(value: ParamValue): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

describe("every parameter of every catalogue entry", () => {
  it.each(EVERY_PARAM)("%s has name, type, default, min, max and description", (_, spec) => {
    expect(Object.keys(spec)).toEqual(
      expect.arrayContaining(["name", "type", "default", "min", "max", "description"]),
    );
    expect(spec.name).toMatch(/^[a-z_]+$/);
    expect(["integer", "boolean", "enum", "list", "string"]).toContain(spec.type);
    expect(typeof spec.description).toBe("string");
    expect(spec.description.length).toBeGreaterThan(0);
    if (spec.type === "integer") {
      expect(Number.isInteger(spec.min)).toBe(true);
      expect(Number.isInteger(spec.max)).toBe(true);
      expect(spec.min).toBeLessThanOrEqual(spec.max as number);
    } else {
      // Bounds apply to integers only.
      expect(spec.min).toBeNull();
      expect(spec.max).toBeNull();
    }
    const value = spec.default;
    if (value === null) return;
    switch (spec.type) {
      case "integer":
        expect(Number.isInteger(value)).toBe(true);
        break;
      case "boolean":
        expect(typeof value).toBe("boolean");
        break;
      case "enum":
        expect(spec.options).toContain(value);
        break;
      case "list":
        expect(Array.isArray(value)).toBe(true);
        break;
      case "string":
        expect(typeof value).toBe("string");
        break;
    }
  });

  it.each(EVERY_PARAM.filter(([, spec]) => spec.default !== null))(
    "%s: its default passes its own validation",
    (_, spec) => {
      const value = spec.default as ParamValue;
      const query = new URLSearchParams({ [spec.name]: queryValue(value) });
      expect(parseParams([spec], query)).toEqual({ ok: true, values: { [spec.name]: value } });
    },
  );

  it("serialises to JSON with all six keys (null where none applies)", () => {
    const served = JSON.parse(JSON.stringify(ENDPOINTS)) as { parameters: object[] }[];
    for (const parameter of served.flatMap((endpoint) => endpoint.parameters)) {
      for (const key of ["name", "type", "default", "min", "max", "description"]) {
        expect(parameter).toHaveProperty(key);
      }
    }
  });
});

describe("/chaos close", () => {
  const chaos = findEndpoint("/chaos");
  if (!chaos) throw new Error("catalogue lost /chaos");
  const close = chaos.parameters.find((spec) => spec.name === "close");
  const at = (code: number) =>
    parseParams(chaos.parameters, new URLSearchParams({ close: `${code}` }));

  it("is bounded by the codes a close frame may carry, and names the refused ones", () => {
    expect(close).toMatchObject({ min: 1000, max: 4999 });
    expect(close?.description).toContain("1004–1006, 1015 and 1016–2999");
  });

  it.each([1000, 1003, 1007, 1014, 3000, 4999])("takes %i", (code) => {
    expect(at(code)).toMatchObject({ ok: true, values: { close: code } });
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000])("refuses %i", (code) => {
    expect(at(code)).toMatchObject({ ok: false });
  });
});

describe.each([
  ["/mux", "mux.v1"],
  ["/ws", "my-subprotocol"],
])("%s, which speaks only %s", (path, protocol) => {
  const endpoint = findEndpoint(path);
  if (!endpoint) throw new Error(`catalogue lost ${path}`);
  const decide = (query: string, offered: string[]) =>
    decideHandshake(endpoint, new URLSearchParams(query), offered);

  it.each([
    ["", [protocol]],
    [`accept=${protocol}`, [protocol]],
    ["require=1", ["other", protocol]],
    ["prefer=client", [protocol]],
  ])("accepts ?%s offering %j with %s", (query, offered) => {
    expect(decide(query, offered)).toMatchObject({ kind: "accept", outcome: { protocol } });
  });

  it.each([
    ["require=0", []],
    ["require=0", ["foo"]],
    ["accept=x", ["x"]],
    ["accept=foo", ["foo"]],
    [`accept=${protocol},x`, [protocol]],
    ["prefer=server", [protocol]],
    ["misbehave=unoffered", []],
  ])("refuses ?%s offering %j: the query may not change the subprotocol", (query, offered) => {
    const decision = decide(query, offered);
    expect(decision).toMatchObject({ kind: "refuse", status: 400 });
    if (decision.kind !== "refuse") return;
    expect(decision.reason).toContain(`${path} speaks only the subprotocol ${protocol}`);
    expect(decision.reason).not.toContain("\n");
  });

  it.each([[[]], [["foo"]]])("refuses a client offering %j, as before", (offered) => {
    expect(decide("", offered)).toMatchObject({
      kind: "refuse",
      status: 400,
      outcome: { kind: "refused" },
    });
  });

  it("says in the catalogue that its negotiation parameters are fixed", () => {
    for (const name of ["accept", "prefer", "require", "misbehave"]) {
      const spec = endpoint.parameters.find((candidate) => candidate.name === name);
      expect(spec?.fixed).toContain(`${path} speaks only the subprotocol ${protocol}`);
      expect(spec?.description).toMatch(/^(Fixed at|Not available here)/);
    }
  });
});
