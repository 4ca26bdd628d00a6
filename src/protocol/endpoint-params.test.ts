import { describe, expect, it } from "vitest";
import { ENDPOINTS, findEndpoint, policyFromParams } from "./endpoint-catalogue.ts";
import { formatParams, type ParamSpec, parseParams } from "./endpoint-params.ts";
import { decideHandshake } from "./handshake-decision.ts";

const echo = findEndpoint("/echo");
if (!echo) throw new Error("catalogue lost /echo");
const parse = (query: string) => parseParams(echo.parameters, new URLSearchParams(query));

describe("parseParams", () => {
  it("fills defaults", () => {
    expect(parse("")).toEqual({
      ok: true,
      values: { accept: ["chat.v2", "chat.v1", "json"], prefer: "client", require: false },
    });
  });

  it("parses every type", () => {
    const result = parse("accept=a,b&prefer=server&require=1&misbehave=unoffered&tap=abcdefgh");
    expect(result).toEqual({
      ok: true,
      values: {
        accept: ["a", "b"],
        prefer: "server",
        require: true,
        misbehave: "unoffered",
        tap: "abcdefgh",
      },
    });
    expect(parse("require")).toMatchObject({ ok: true, values: { require: true } });
    expect(parse("accept=")).toMatchObject({ ok: true, values: { accept: [] } });
  });

  it.each([
    ["prefer=both", "prefer must be one of client, server (got 'both')."],
    ["require=maybe", "require must be 1 or 0 (got 'maybe')."],
    ["accept=a%20b", "accept: 'a b' is not a valid subprotocol token (RFC 7230 §3.2.6)."],
    ["tap=short", "tap must be 8–64 characters of A–Z, a–z, 0–9, _ and - (got 'short')."],
    [
      "requre=1",
      "Unknown parameter 'requre' (this endpoint takes: accept, prefer, require, misbehave, tap).",
    ],
    ["prefer=client&prefer=server", "Parameter 'prefer' is given more than once."],
  ])("refuses %s with a one-line reason", (query, reason) => {
    expect(parse(query)).toEqual({ ok: false, reason });
  });

  it("checks integer ranges and named refusals", () => {
    const specs: ParamSpec[] = [
      {
        name: "bits",
        type: "integer",
        default: null,
        min: 9,
        max: 15,
        description: "",
        refuse: { "8": "no" },
      },
    ];
    const at = (q: string) => parseParams(specs, new URLSearchParams(q));
    expect(at("bits=9")).toEqual({ ok: true, values: { bits: 9 } });
    expect(at("bits=16")).toEqual({ ok: false, reason: "bits must be between 9 and 15 (got 16)." });
    expect(at("bits=1.5")).toEqual({
      ok: false,
      reason: "bits must be a whole number (got '1.5').",
    });
    expect(at("bits=8")).toEqual({ ok: false, reason: "bits=8: no" });
  });
});

describe("refused ranges and byte lengths", () => {
  const specs: ParamSpec[] = [
    {
      name: "code",
      type: "integer",
      default: null,
      min: 0,
      max: 4999,
      refuseRanges: [{ min: 1016, max: 2999, reason: "reserved" }],
      description: "",
    },
    {
      name: "reason",
      type: "string",
      default: null,
      min: null,
      max: null,
      maxBytes: 4,
      description: "",
    },
  ];
  const at = (query: string) => parseParams(specs, new URLSearchParams(query));

  it("refuses a value inside a refused range with its reason, and takes its edges' neighbours", () => {
    expect(at("code=2000")).toEqual({ ok: false, reason: "code=2000: reserved" });
    expect(at("code=1016")).toEqual({ ok: false, reason: "code=1016: reserved" });
    expect(at("code=1015")).toMatchObject({ ok: true, values: { code: 1015 } });
    expect(at("code=3000")).toMatchObject({ ok: true, values: { code: 3000 } });
  });

  it("counts a string's UTF-8 bytes, not its characters", () => {
    expect(at("reason=éé")).toMatchObject({ ok: true, values: { reason: "éé" } });
    expect(at("reason=ééé")).toEqual({
      ok: false,
      reason: "reason must be at most 4 bytes of UTF-8 (got 6).",
    });
  });
});

describe("fixed parameters", () => {
  const specs: ParamSpec[] = [
    {
      name: "accept",
      type: "list",
      default: ["only.v1"],
      min: null,
      max: null,
      fixed: "speaks only only.v1.",
      description: "",
    },
    {
      name: "misbehave",
      type: "enum",
      options: ["unoffered"],
      default: null,
      min: null,
      max: null,
      fixed: "not here.",
      description: "",
    },
  ];
  const at = (query: string) => parseParams(specs, new URLSearchParams(query));

  it("takes the default, given or not", () => {
    expect(at("")).toEqual({ ok: true, values: { accept: ["only.v1"] } });
    expect(at("accept=only.v1")).toEqual({ ok: true, values: { accept: ["only.v1"] } });
  });

  it("refuses any other value with the parameter's reason, and any value without a default", () => {
    expect(at("accept=x")).toEqual({ ok: false, reason: "accept=x: speaks only only.v1." });
    expect(at("accept=only.v1,x")).toMatchObject({ ok: false });
    expect(at("accept=")).toEqual({ ok: false, reason: "accept=: speaks only only.v1." });
    expect(at("misbehave=unoffered")).toEqual({
      ok: false,
      reason: "misbehave=unoffered: not here.",
    });
  });

  it("still reports a malformed value as such", () => {
    expect(at("misbehave=x")).toEqual({
      ok: false,
      reason: "misbehave must be one of unoffered (got 'x').",
    });
  });
});

describe("formatParams", () => {
  it("round-trips through parseParams and leaves defaults out", () => {
    const values = { accept: ["x"], prefer: "client", require: true };
    const query = formatParams(echo.parameters, values);
    expect(query.toString()).toBe("accept=x&require=1");
    expect(parseParams(echo.parameters, query)).toMatchObject({ ok: true, values });
  });
});

describe("catalogue", () => {
  it("lists the negotiation parameters for every endpoint (fixed ones included)", () => {
    for (const endpoint of ENDPOINTS) {
      const names = endpoint.parameters.map((spec) => spec.name);
      expect(names).toEqual(
        expect.arrayContaining(["accept", "prefer", "require", "misbehave", "tap"]),
      );
    }
  });

  it("makes /ws require my-subprotocol", () => {
    const ws = findEndpoint("/ws");
    if (!ws) throw new Error("catalogue lost /ws");
    const refused = decideHandshake(ws, new URLSearchParams(), ["chat"]);
    expect(refused).toMatchObject({ kind: "refuse", status: 400 });
    const accepted = decideHandshake(ws, new URLSearchParams(), ["my-subprotocol"]);
    expect(accepted).toMatchObject({ kind: "accept", outcome: { protocol: "my-subprotocol" } });
  });

  it("derives the policy from parsed values", () => {
    const parsed = parse("accept=a&prefer=server&misbehave=unoffered");
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(policyFromParams(parsed.values)).toEqual({
      accept: ["a"],
      prefer: "server",
      require: false,
      misbehaveUnoffered: true,
    });
  });
});
