import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { DEFLATE_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { parseTypedParams } from "../../src/protocol/endpoint-params.ts";
import { type RunningServer, startServer } from "../index.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { deflateOptionsFor } from "./deflate.ts";

const optionsFor = (query: string, offer?: string) => {
  const parsed = parseTypedParams(DEFLATE_SPEC.parameters, new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.reason);
  const request = {
    headers: offer ? { "sec-websocket-extensions": offer } : {},
  } as IncomingMessage;
  return deflateOptionsFor(parsed.values, request);
};

describe("deflateOptionsFor", () => {
  it("defaults to threshold 0 and level 6, insisting on nothing", () => {
    expect(optionsFor("", "permessage-deflate")).toEqual({
      threshold: 0,
      zlibDeflateOptions: { level: 6 },
    });
  });

  it("answers a client's smaller window request instead of refusing it", () => {
    const options = optionsFor(
      "server_max_window_bits=12",
      "permessage-deflate; server_max_window_bits=10",
    );
    expect(options.serverMaxWindowBits).toBe(10);
  });

  it("limits the client's window only when the client offered client_max_window_bits", () => {
    expect(
      optionsFor("client_max_window_bits=9", "permessage-deflate").clientMaxWindowBits,
    ).toBeUndefined();
    expect(
      optionsFor("client_max_window_bits=9", "permessage-deflate; client_max_window_bits")
        .clientMaxWindowBits,
    ).toBe(9);
  });

  it("passes the no-context-takeover flags on", () => {
    expect(
      optionsFor("server_no_context_takeover=1&client_no_context_takeover=1", "permessage-deflate"),
    ).toMatchObject({ serverNoContextTakeover: true, clientNoContextTakeover: true });
  });
});

describe("/deflate with real clients", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
  });
  afterAll(() => server.close());

  it("negotiates what the query asks and echoes compressed", async () => {
    const ws = new WebSocket(
      `${server.url.replace("http", "ws")}/deflate?server_max_window_bits=10&server_no_context_takeover=1`,
      { perMessageDeflate: true },
    );
    const answered = new Promise<string | undefined>((resolve) =>
      ws.once("upgrade", (response) => resolve(response.headers["sec-websocket-extensions"])),
    );
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    expect(await answered).toBe(
      "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
    );
    ws.send("squeeze me ".repeat(100));
    const echoed = await new Promise<string>((resolve) =>
      ws.once("message", (data) => resolve(data.toString())),
    );
    expect(echoed).toBe("squeeze me ".repeat(100));
    ws.close();
  });

  it("refuses a window of 8 bits with the reason", async () => {
    const result = await rawHandshake(`${server.url}/deflate?client_max_window_bits=8`);
    expect(result.status).toBe(400);
    expect(result.body).toContain("zlib silently widens a raw-deflate window of 8 bits to 9");
  });
});
