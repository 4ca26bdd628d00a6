import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type DEFLATE_SPEC,
  ENDPOINTS,
  type STREAM_SPEC,
} from "../../src/protocol/endpoint-catalogue.ts";
import { ENDPOINT_DEFINITIONS, type RunningServer, startServer } from "../index.ts";
import { createRouteTable } from "../routes.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { echoEndpoint } from "./echo.ts";
import type { ParamsOf } from "./endpoint.ts";

describe("the catalogue and the implementations", () => {
  it("has an implementation for every catalogue entry, and an entry for every implementation", () => {
    const implemented = ENDPOINT_DEFINITIONS.map((definition) => definition.spec);
    for (const spec of ENDPOINTS) expect(implemented).toContain(spec);
    for (const spec of implemented) expect(ENDPOINTS).toContain(spec);
    expect(implemented.map((spec) => spec.path)).toEqual(ENDPOINTS.map((spec) => spec.path));
  });

  it("types each endpoint's parameters from its spec", () => {
    type Stream = ParamsOf<typeof STREAM_SPEC>;
    expectTypeOf<Stream["count"]>().toEqualTypeOf<number>();
    expectTypeOf<Stream["kind"]>().toEqualTypeOf<"text" | "json" | "binary">();
    expectTypeOf<Stream["deflate"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Stream["accept"]>().toEqualTypeOf<readonly string[]>();
    // No default and not required: may be missing.
    expectTypeOf<Stream["misbehave"]>().toEqualTypeOf<"unoffered" | undefined>();
    expectTypeOf<ParamsOf<typeof DEFLATE_SPEC>["server_max_window_bits"]>().toEqualTypeOf<
      number | undefined
    >();
  });
});

describe("the route table", () => {
  const routes = createRouteTable(ENDPOINT_DEFINITIONS);

  it("names what answers each path", () => {
    expect(routes.match("/echo")).toEqual({ kind: "endpoint", definition: echoEndpoint });
    expect(routes.match("/inspect").kind).toBe("inspect");
    expect(routes.match("/socket.io/").kind).toBe("engine.io");
    expect(routes.match("/echo/").kind).toBe("none");
    expect(routes.match("/").kind).toBe("none");
  });

  it("refuses two endpoints at one path", () => {
    expect(() => createRouteTable([echoEndpoint, echoEndpoint])).toThrow(
      "Two endpoints are defined at /echo",
    );
  });
});

describe("served", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  });
  afterAll(() => server.close());

  it("publishes the specs of the endpoints it serves at /api/endpoints", async () => {
    const response = await fetch(`${server.url}/api/endpoints`);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual(
      JSON.parse(JSON.stringify(ENDPOINT_DEFINITIONS.map((definition) => definition.spec))),
    );
  });

  it("gives every published parameter all six keys", async () => {
    const response = await fetch(`${server.url}/api/endpoints`);
    const endpoints = (await response.json()) as { parameters: Record<string, unknown>[] }[];
    const parameters = endpoints.flatMap((endpoint) => endpoint.parameters);
    expect(parameters.length).toBeGreaterThan(0);
    for (const parameter of parameters) {
      expect(Object.keys(parameter)).toEqual(
        expect.arrayContaining(["name", "type", "default", "min", "max", "description"]),
      );
    }
  });

  describe.each([
    ["/mux", "mux.v1"],
    ["/ws", "my-subprotocol"],
  ])("%s speaks only %s, whatever the query says", (path, protocol) => {
    it.each([
      ["require=0", undefined, "require is fixed at 1"],
      ["require=0", "foo", "require is fixed at 1"],
      ["accept=x", "x", `accept is fixed at ${protocol}`],
      ["accept=foo", "foo", `accept is fixed at ${protocol}`],
      ["prefer=server", protocol, "prefer is fixed at client"],
      ["misbehave=unoffered", undefined, "misbehave is not available here"],
    ])("refuses ?%s (offering %s) with 400 and one line", async (query, offered, words) => {
      const result = await rawHandshake(
        `${server.url}${path}?${query}`,
        offered === undefined ? {} : { "Sec-WebSocket-Protocol": offered },
      );
      expect(result.status).toBe(400);
      expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(result.headers["sec-websocket-protocol"]).toBeUndefined();
      expect(result.body).toMatch(
        new RegExp(`^${query}: \\${path} speaks only the subprotocol ${protocol}, whatever`),
      );
      expect(result.body).toContain(words);
      expect(result.body.endsWith("\n")).toBe(true);
      expect(result.body.trim().split("\n")).toHaveLength(1);
    });

    it("still refuses a client that does not offer it", async () => {
      const result = await rawHandshake(`${server.url}${path}`, {
        "Sec-WebSocket-Protocol": "foo",
      });
      expect(result.status).toBe(400);
      expect(result.body).toBe(
        `No offered subprotocol is accepted here (offered: foo; accepted: ${protocol}).\n`,
      );
    });

    it.each(["", `?accept=${protocol}`, "?require=1"])(
      "opens %s offering it, naming it in the 101",
      async (query) => {
        const result = await rawHandshake(`${server.url}${path}${query}`, {
          "Sec-WebSocket-Protocol": `foo, ${protocol}`,
        });
        expect(result.status).toBe(101);
        expect(result.headers["sec-websocket-protocol"]).toBe(protocol);
      },
    );
  });

  it("serves Engine.IO at /socket.io/, over polling and as a WebSocket", async () => {
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(200);
    // An Engine.IO open packet: 0 and the session's parameters.
    expect(await polling.text()).toMatch(/^0\{"sid":/);
    const handshake = await rawHandshake(`${server.url}/socket.io/?EIO=4&transport=websocket`);
    expect(handshake.status).toBe(101);
  });

  it("answers a handshake ws itself finds malformed in plain text with a reason", async () => {
    const result = await rawHandshake(`${server.url}/echo`, { "Sec-WebSocket-Key": "not-a-key" });
    expect(result.status).toBe(400);
    expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(result.body).toBe(
      "Missing or invalid Sec-WebSocket-Key header: this is not a valid WebSocket handshake.\n",
    );
  });
});
