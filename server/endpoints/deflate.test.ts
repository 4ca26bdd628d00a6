import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import { constants, inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { type PerMessageDeflateOptions } from "ws";
import { DEFLATE_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { parseTypedParams } from "../../src/protocol/endpoint-params.ts";
import { parseExtensionHeader, readDeflateParams } from "../../src/protocol/extensions.ts";
import { encodeFrame, FrameParser, type ParsedFrame } from "../../src/protocol/frame-parser.ts";
import type { HandshakeEvent } from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { rawHandshake } from "../testing/raw-handshake.ts";
import { deflateNegotiationOf, deflateOptionsFor } from "./deflate.ts";

const requestWith = (offer?: string) =>
  ({ headers: offer ? { "sec-websocket-extensions": offer } : {} }) as IncomingMessage;

const optionsFor = (query: string, request: IncomingMessage) => {
  const parsed = parseTypedParams(DEFLATE_SPEC.parameters, new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.reason);
  return deflateOptionsFor(parsed.values, request);
};

describe("deflateOptionsFor", () => {
  it("shows ws only the answer chosen, with threshold and level", () => {
    const request = requestWith("permessage-deflate; server_max_window_bits=10, x-other");
    expect(optionsFor("server_max_window_bits=12&threshold=5&level=1", request)).toEqual({
      threshold: 5,
      zlibDeflateOptions: { level: 1 },
    });
    expect(request.headers["sec-websocket-extensions"]).toBe(
      "permessage-deflate; server_max_window_bits=10",
    );
  });

  it("declines (false) an invalid offer and remembers why", () => {
    const request = requestWith("permessage-deflate; server_max_window_bits=0x0a");
    expect(optionsFor("", request)).toBe(false);
    expect(deflateNegotiationOf(request)).toMatchObject({
      kind: "declined",
      declined: [expect.stringContaining("0x0a is not a plain decimal")],
    });
  });
});

/** A bare TCP client that offers `extensions` and reports the frames the server sent. */
async function rawDeflateClient(port: number, target: string, extensions: string) {
  const socket = connect(port, "127.0.0.1");
  const parser = new FrameParser();
  const frames: ParsedFrame[] = [];
  const waiters = new Set<() => void>();
  let head = "";
  const response = await new Promise<string>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      if (!head.includes("\r\n\r\n")) {
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        resolve(head.slice(0, end));
        chunk = Buffer.from(head.slice(end + 4), "latin1");
      }
      parser.feed(chunk, (frame) =>
        frames.push({ ...frame, payload: Uint8Array.from(frame.payload) }),
      );
      for (const check of [...waiters]) check();
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: ${extensions}\r\n\r\n`,
    );
  });
  return {
    response,
    /** Sends an uncompressed text message (RSV1 clear: allowed with permessage-deflate too). */
    send: (text: string) =>
      socket.write(encodeFrame({ opcode: 1, payload: Buffer.from(text), maskKey: 0x01020304 })),
    frame: (index: number) =>
      new Promise<ParsedFrame>((resolve) => {
        const check = () => {
          const frame = frames[index];
          if (!frame) return;
          waiters.delete(check);
          resolve(frame);
        };
        waiters.add(check);
        check();
      }),
    close: () => socket.destroy(),
  };
}

const inflated = (frame: ParsedFrame) =>
  inflateRawSync(Buffer.concat([frame.payload, Buffer.from([0, 0, 0xff, 0xff])]), {
    finishFlush: constants.Z_SYNC_FLUSH,
  }).toString();

describe("/deflate with real clients", () => {
  let server: RunningServer;
  let wsUrl: string;
  beforeAll(async () => {
    server = await startServer({ port: 0, heartbeatMs: 0, staticDir: "/nonexistent" });
    wsUrl = server.url.replace("http", "ws");
  });
  afterAll(() => server.close());

  /** Opens a `ws` client (which checks the answer against its offer), echoes once, closes. */
  async function negotiate(query: string, offer: PerMessageDeflateOptions | boolean) {
    const ws = new WebSocket(`${wsUrl}/deflate${query}`, { perMessageDeflate: offer });
    const answered = new Promise<string | undefined>((resolve) =>
      ws.once("upgrade", (response) => resolve(response.headers["sec-websocket-extensions"])),
    );
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const text = "squeeze me ".repeat(100);
    ws.send(text);
    const echoed = await new Promise<string>((resolve) =>
      ws.once("message", (data) => resolve(data.toString())),
    );
    expect(echoed).toBe(text);
    ws.close();
    return { header: await answered, extensions: ws.extensions };
  }

  it.each([
    ["", true, "permessage-deflate"],
    ["", { serverNoContextTakeover: true }, "permessage-deflate; server_no_context_takeover"],
    ["", { clientNoContextTakeover: true }, "permessage-deflate; client_no_context_takeover"],
    ["", { serverMaxWindowBits: 10 }, "permessage-deflate; server_max_window_bits=10"],
    ["", { clientMaxWindowBits: 11 }, "permessage-deflate; client_max_window_bits=11"],
    ["?server_no_context_takeover=1", false, undefined],
    ["?server_no_context_takeover=1", true, "permessage-deflate; server_no_context_takeover"],
    ["?client_no_context_takeover=1", {}, "permessage-deflate; client_no_context_takeover"],
    ["?server_max_window_bits=9", {}, "permessage-deflate; server_max_window_bits=9"],
    [
      "?server_max_window_bits=12",
      { serverMaxWindowBits: 10 },
      "permessage-deflate; server_max_window_bits=10",
    ],
    ["?client_max_window_bits=9", {}, "permessage-deflate; client_max_window_bits=9"],
    [
      "?client_max_window_bits=9",
      { clientMaxWindowBits: 12 },
      "permessage-deflate; client_max_window_bits=9",
    ],
    ["?threshold=20&level=9", {}, "permessage-deflate"],
    // A client hinting a window of 8 is answered without it (zlib would widen it to 9).
    ["", { clientMaxWindowBits: 8 }, "permessage-deflate"],
  ])("query %s, client offer %j → %s", async (query, offer, expected) => {
    const { header } = await negotiate(query, offer);
    expect(header).toBe(expected);
  });

  it("gives every valid offer of a ws client an answer it accepts, matching the request", async () => {
    const windows = [undefined, 9, 12, 15];
    for (const serverNoContextTakeover of [false, true]) {
      for (const serverMaxWindowBits of windows) {
        for (const clientMaxWindowBits of windows) {
          const offer: PerMessageDeflateOptions = { serverNoContextTakeover };
          if (serverMaxWindowBits) offer.serverMaxWindowBits = serverMaxWindowBits;
          if (clientMaxWindowBits) offer.clientMaxWindowBits = clientMaxWindowBits;
          const { header } = await negotiate("", offer);
          const parsed = parseExtensionHeader(header ?? "");
          const read = parsed.ok
            ? readDeflateParams(parsed.offers[0]?.params ?? [], "answer")
            : undefined;
          if (!read?.ok) throw new Error(`not a valid answer: ${header}`);
          expect(read.params.serverNoContextTakeover).toBe(serverNoContextTakeover);
          expect(read.params.serverMaxWindowBits).toBe(serverMaxWindowBits);
          expect(read.params.clientMaxWindowBits).toBe(clientMaxWindowBits);
        }
      }
    }
  });

  it("declines (opens uncompressed) a client asking the server for a window of 8", async () => {
    const { header, extensions } = await negotiate("", { serverMaxWindowBits: 8 });
    expect(header).toBeUndefined();
    expect(extensions).toBe("");
  });

  it.each([
    "permessage-deflate; server_max_window_bits=010",
    "permessage-deflate; server_max_window_bits=0x0a",
    "permessage-deflate; client_max_window_bits=10; client_max_window_bits=11",
    "permessage-deflate; server_max_window_bits=8",
    "permessage-deflate; window=10",
    "permessage-deflate; server_no_context_takeover=yes",
    "permessage-deflate;; broken",
  ])("declines %s with a 101 and no extension (RFC 7692 §5.1)", async (offer) => {
    const result = await rawHandshake(`${server.url}/deflate`, {
      "Sec-WebSocket-Extensions": offer,
    });
    expect(result.status).toBe(101);
    expect(result.headers["sec-websocket-extensions"]).toBeUndefined();
  });

  it("sends the query's client window only to a client that offered client_max_window_bits", async () => {
    const result = await rawHandshake(`${server.url}/deflate?client_max_window_bits=9`, {
      "Sec-WebSocket-Extensions": "permessage-deflate",
    });
    expect(result.headers["sec-websocket-extensions"]).toBe("permessage-deflate");
  });

  it("says in the answer, and so in the tap's handshake record, why an offer was declined", async () => {
    const record = new Promise<HandshakeEvent>((resolve, reject) => {
      const inspector = new WebSocket(`${wsUrl}/inspect?tap=deflate-declined-1`);
      inspector.on("message", (data) => {
        const event = JSON.parse(data.toString()) as { type: string };
        if (event.type !== "handshake") return;
        inspector.close();
        resolve(event as HandshakeEvent);
      });
      inspector.on("error", reject);
    });
    const result = await rawHandshake(`${server.url}/deflate?tap=deflate-declined-1`, {
      "Sec-WebSocket-Extensions": "permessage-deflate; server_max_window_bits=0x0a",
    });
    const note =
      "declined, opened uncompressed: server_max_window_bits=0x0a is not a plain decimal from 8 to 15 (RFC 7692 section 7.1.2)";
    expect(result.status).toBe(101);
    expect(result.headers["x-deflate-negotiation"]).toBe(note);
    const handshake = await record;
    expect(handshake.extensions).toBe("");
    expect(handshake.response.headers).toContainEqual(["X-Deflate-Negotiation", note]);
  });

  it("notes what it left out of an accepted answer, and nothing when it took the offer as asked", async () => {
    const hinted = await rawHandshake(`${server.url}/deflate`, {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits=8",
    });
    expect(hinted.headers["sec-websocket-extensions"]).toBe("permessage-deflate");
    expect(hinted.headers["x-deflate-negotiation"]).toContain("client_max_window_bits=8 left out");
    const plain = await rawHandshake(`${server.url}/deflate`, {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    expect(plain.headers["x-deflate-negotiation"]).toBeUndefined();
  });

  it("takes a later valid offer after an invalid one", async () => {
    const result = await rawHandshake(`${server.url}/deflate`, {
      "Sec-WebSocket-Extensions":
        "permessage-deflate; server_max_window_bits=010, permessage-deflate; server_max_window_bits=11",
    });
    expect(result.status).toBe(101);
    expect(result.headers["sec-websocket-extensions"]).toBe(
      "permessage-deflate; server_max_window_bits=11",
    );
  });

  it.each([
    ["server_max_window_bits=8", "zlib silently widens a raw-deflate window of 8 bits to 9"],
    ["client_max_window_bits=8", "zlib silently widens a raw-deflate window of 8 bits to 9"],
    ["server_max_window_bits=16", "between 9 and 15"],
    ["client_max_window_bits=abc", "whole number"],
    ["level=10", "between 0 and 9"],
    ["threshold=-1", "between 0 and"],
    ["server_no_context_takeover=maybe", "must be 1 or 0"],
    ["level=1&level=2", "more than once"],
  ])("refuses the query %s with 400 and a reason", async (query, reason) => {
    const result = await rawHandshake(`${server.url}/deflate?${query}`, {
      "Sec-WebSocket-Extensions": "permessage-deflate",
    });
    expect(result.status).toBe(400);
    expect(result.body).toContain(reason);
  });

  it("sets RSV1 on the echo; threshold leaves the server's short messages uncompressed", async () => {
    const plain = await rawDeflateClient(server.port, "/deflate", "permessage-deflate");
    expect(plain.response).toContain("Sec-WebSocket-Extensions: permessage-deflate");
    plain.send("hello");
    const compressed = await plain.frame(0);
    expect(compressed.rsv1).toBe(true);
    expect(inflated(compressed)).toBe("hello");
    plain.close();

    const thresholded = await rawDeflateClient(
      server.port,
      "/deflate?threshold=20",
      "permessage-deflate",
    );
    thresholded.send("hello");
    thresholded.send("a longer message, over twenty bytes");
    expect((await thresholded.frame(0)).rsv1).toBe(false);
    expect((await thresholded.frame(1)).rsv1).toBe(true);
    thresholded.close();
  });

  it("context takeover shrinks a repeated message; no context takeover does not", async () => {
    const message = JSON.stringify({ user: "ada", items: [1, 2, 3], note: "context ".repeat(8) });
    const sizes = async (query: string) => {
      const client = await rawDeflateClient(server.port, `/deflate${query}`, "permessage-deflate");
      client.send(message);
      client.send(message);
      const first = await client.frame(0);
      const second = await client.frame(1);
      client.close();
      return [first.payloadLength, second.payloadLength];
    };
    const [firstWith = 0, secondWith = 0] = await sizes("");
    expect(secondWith).toBeLessThan(firstWith / 2);
    const [firstWithout, secondWithout] = await sizes("?server_no_context_takeover=1");
    expect(secondWithout).toBe(firstWithout);
  });

  it("level 0 sets RSV1 yet sends more bytes than the message (stored blocks)", async () => {
    const client = await rawDeflateClient(server.port, "/deflate?level=0", "permessage-deflate");
    const text = "aaaa".repeat(50);
    client.send(text);
    const frame = await client.frame(0);
    expect(frame.rsv1).toBe(true);
    expect(frame.payloadLength).toBeGreaterThan(text.length);
    expect(inflated(frame)).toBe(text);
    client.close();
  });

  it("/echo never compresses, even for a client that offers deflate and accepts gzip", async () => {
    const client = await rawDeflateClient(server.port, "/echo", "permessage-deflate");
    expect(client.response).not.toContain("Sec-WebSocket-Extensions");
    client.send("hello hello hello hello");
    expect((await client.frame(0)).rsv1).toBe(false);
    client.close();
  });
});
