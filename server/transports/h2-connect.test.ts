import { type ClientHttp2Session, connect, constants } from "node:http2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import type {
  EndEvent,
  FrameEvent,
  HandshakeEvent,
  InspectorEvent,
} from "../../src/protocol/inspector-events.ts";
import { type RunningServer, startServer } from "../index.ts";
import { type H2WebSocketResult, openH2WebSocket } from "../testing/h2-websocket.ts";
import { closed, inspectUntilEnd, nextMessage } from "../testing/ws-client.ts";
import { createLocalhostCertificate, type TlsCredentials } from "../tls-certificate.ts";
import { END_STREAM_GRACE_MS } from "./h2-connect.ts";

let tls: TlsCredentials;
let server: RunningServer;
let session: ClientHttp2Session;
let tapCounter = 0;
const newTap = () => `h2-tap-${++tapCounter}-${Date.now()}`;

beforeAll(async () => {
  tls = await createLocalhostCertificate();
  server = await startServer({
    port: 0,
    heartbeatMs: 0,
    staticDir: "/nonexistent",
    tapWaitMs: 2000,
    https: tls,
  });
});
afterAll(() => server.close());
afterEach(() => {
  session?.close();
});

/** The WebSocket of an accepted CONNECT (fails the test on a refusal). */
function opened(result: H2WebSocketResult): WebSocket {
  if (!result.ws) throw new Error(`refused with ${result.status}: ${result.body}`);
  return result.ws;
}

/** A new HTTP/2 connection, once the server's SETTINGS (with extended CONNECT) arrived. */
async function h2Session(): Promise<ClientHttp2Session> {
  session = connect(server.url, { ca: tls.cert });
  await new Promise((resolve) => session.once("remoteSettings", resolve));
  return session;
}

/** The tap's events, read over an HTTP/1.1 inspector, once the tapped WebSocket has ended. */
function inspect(tap: string): Promise<InspectorEvent[]> {
  return inspectUntilEnd(`${server.url.replace("https", "wss")}/inspect?tap=${tap}`, {
    ca: tls.cert,
  });
}

describe("WebSocket over HTTP/2 (RFC 8441 extended CONNECT)", () => {
  it("echoes text and binary on a CONNECT stream, and closes cleanly both ways", async () => {
    const result = await openH2WebSocket(await h2Session(), "/echo");
    expect(result.status).toBe(200);
    expect(result.headers["sec-websocket-accept"]).toBeUndefined();
    const ws = opened(result);
    ws.send("over h2");
    expect(await nextMessage(ws)).toEqual({ data: "over h2", isBinary: false });
    ws.send(Buffer.from([1, 2, 3]));
    expect(await nextMessage(ws)).toEqual({ data: Buffer.from([1, 2, 3]), isBinary: true });
    const streamClosed = new Promise((resolve) => result.stream.once("close", resolve));
    ws.close(1000, "done");
    expect(await closed(ws)).toEqual({ code: 1000, reason: "done" });
    await streamClosed;
  });

  it("closes a stream whose client never ends it after the closing handshake", async () => {
    const h2 = await h2Session();
    const stream = h2.request(
      {
        ":method": "CONNECT",
        ":protocol": "websocket",
        ":path": "/echo",
        "sec-websocket-version": "13",
      },
      { endStream: false },
    );
    await new Promise((resolve) => stream.once("response", resolve));
    const received: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => received.push(chunk));
    // A masked close frame (1000, mask 0), and the stream left open.
    stream.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
    const started = Date.now();
    await new Promise((resolve) => stream.once("close", resolve));
    expect(Buffer.concat(received)).toEqual(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
    expect(stream.rstCode).toBe(constants.NGHTTP2_NO_ERROR);
    // Well within ws's 30 s close timeout.
    expect(Date.now() - started).toBeLessThan(END_STREAM_GRACE_MS + 2000);
  });

  it("carries several WebSockets as streams of one connection", async () => {
    const h2 = await h2Session();
    const results = await Promise.all(
      ["/echo", "/echo", "/ws"].map((path, index) =>
        openH2WebSocket(h2, path, index === 2 ? { protocols: ["my-subprotocol"] } : {}),
      ),
    );
    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((result) => result.stream.id)).size).toBe(3);
    const [first, second, seed] = results.map(opened) as [WebSocket, WebSocket, WebSocket];
    first.send("one");
    second.send("two");
    seed.send("three");
    expect((await nextMessage(first)).data).toBe("one");
    expect((await nextMessage(second)).data).toBe("two");
    expect((await nextMessage(seed)).data).toBe("Received: three");
    for (const ws of [first, second, seed]) ws.close(1000);
  });

  it("negotiates the subprotocol as over HTTP/1.1", async () => {
    const result = await openH2WebSocket(await h2Session(), "/echo?prefer=server", {
      protocols: ["json", "chat.v1"],
    });
    expect(result.status).toBe(200);
    expect(result.headers["sec-websocket-protocol"]).toBe("chat.v1");
    opened(result).close(1000);
  });

  it("negotiates permessage-deflate on /deflate and echoes through it", async () => {
    const result = await openH2WebSocket(await h2Session(), "/deflate?server_no_context_takeover", {
      deflate: true,
    });
    expect(result.status).toBe(200);
    expect(result.headers["sec-websocket-extensions"]).toBe(
      "permessage-deflate; server_no_context_takeover",
    );
    const ws = opened(result);
    const text = "compressible ".repeat(200);
    ws.send(text);
    expect((await nextMessage(ws)).data).toBe(text);
    ws.close(1000);
  });

  it.each([
    ["/nowhere", {}, 404, "No WebSocket endpoint at /nowhere.\n"],
    [
      "/echo",
      { origin: "https://evil.example" },
      403,
      "Origin https://evil.example is not allowed: only this server's own page, clients without an Origin and ALLOWED_ORIGINS may connect.\n",
    ],
    [
      "/ws",
      {},
      400,
      "This endpoint requires a subprotocol and the client offered none (accepted here: my-subprotocol).\n",
    ],
  ])(
    "refuses %s %j with :status %i and the reason as the body",
    async (path, headers, status, body) => {
      const result = await openH2WebSocket(await h2Session(), path, { headers });
      expect(result.status).toBe(status);
      expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(result.body).toBe(body);
    },
  );

  it("accepts the page's own https origin", async () => {
    const origin = server.url;
    const result = await openH2WebSocket(await h2Session(), "/echo", { headers: { origin } });
    expect(result.status).toBe(200);
    opened(result).close(1000);
  });

  it("answers a plain CONNECT (a tunnel, no :protocol) 405", async () => {
    const h2 = await h2Session();
    const stream = h2.request(
      { ":method": "CONNECT", ":authority": "example.com:443" },
      { endStream: false },
    );
    const headers = await new Promise<Record<string, unknown>>((resolve) =>
      stream.once("response", resolve),
    );
    expect(headers[":status"]).toBe(405);
    stream.destroy();
  });

  it("taps the stream: the CONNECT with its pseudo-headers, :status 200, frames, end", async () => {
    const tap = newTap();
    const h2 = await h2Session();
    // Another stream first, so the tapped one is not the connection's first.
    opened(await openH2WebSocket(h2, "/echo")).close(1000);
    const result = await openH2WebSocket(h2, `/echo?tap=${tap}`, { protocols: ["json"] });
    const ws = opened(result);
    ws.send("tapped");
    await nextMessage(ws);
    ws.close(1000, "bye");
    await closed(ws);
    const events = await inspect(tap);

    const handshake = events[0] as HandshakeEvent;
    expect(handshake).toMatchObject({
      type: "handshake",
      transport: "h2",
      stream: result.stream.id,
      protocol: "json",
      extensions: "",
      request: { method: "CONNECT", url: `/echo?tap=${tap}`, httpVersion: "2.0" },
      response: {
        status: 200,
        headers: [
          [":status", "200"],
          ["sec-websocket-protocol", "json"],
        ],
      },
    });
    expect(handshake.connection).toMatch(/^c\d+$/);
    expect(handshake.request.headers.slice(0, 2)).toEqual([
      [":method", "CONNECT"],
      [":protocol", "websocket"],
    ]);
    const frames = events.filter((event): event is FrameEvent => event.type === "frame");
    expect(frames.map((frame) => `${frame.dir} ${frame.opname} ${frame.preview}`)).toEqual([
      "in text tapped",
      "out text tapped",
      `in close ${frames[2]?.preview}`,
      `out close ${frames[3]?.preview}`,
    ]);
    expect(frames[2]).toMatchObject({ closeCode: 1000, closeReason: "bye", masked: true });
    expect(events.at(-1)).toMatchObject({ type: "end", code: 1000, clean: true } as EndEvent);
  });

  it("names the same TCP connection for every stream of a session, another for another", async () => {
    const taps = [newTap(), newTap(), newTap()];
    const first = await h2Session();
    const a = await openH2WebSocket(first, `/echo?tap=${taps[0]}`);
    const b = await openH2WebSocket(first, `/echo?tap=${taps[1]}`);
    const second = connect(server.url, { ca: tls.cert });
    const c = await openH2WebSocket(second, `/echo?tap=${taps[2]}`);
    for (const result of [a, b, c]) opened(result).close(1000);
    const handshakes = await Promise.all(
      taps.map(async (tap) => (await inspect(tap))[0] as HandshakeEvent),
    );
    second.close();
    const [ha, hb, hc] = handshakes as [HandshakeEvent, HandshakeEvent, HandshakeEvent];
    expect(ha.connection).toBe(hb.connection);
    expect(hc.connection).not.toBe(ha.connection);
    expect([ha.stream, hb.stream]).toEqual([a.stream.id, b.stream.id]);
  });

  it.each(["8", "12", "abc"])(
    "answers sec-websocket-version %s with 400 and the version spoken (426 needs an Upgrade header HTTP/2 forbids)",
    async (version) => {
      const tap = newTap();
      const result = await openH2WebSocket(await h2Session(), `/echo?tap=${tap}`, {
        headers: { "sec-websocket-version": version },
      });
      expect(result.status).toBe(400);
      expect(result.headers["sec-websocket-version"]).toBe("13");
      expect(result.headers.upgrade).toBeUndefined();
      const body = `Sec-WebSocket-Version ${version} is not spoken here: this server speaks WebSocket version 13 only (RFC 6455 §4.4).\n`;
      expect(result.body).toBe(body);
      const events = await inspect(tap);
      expect(events[0]).toMatchObject({
        type: "handshake",
        transport: "h2",
        response: {
          status: 400,
          headers: expect.arrayContaining([["sec-websocket-version", "13"]]),
          body,
        },
      });
    },
  );

  it("checks the version of Socket.IO's CONNECT too", async () => {
    const result = await openH2WebSocket(
      await h2Session(),
      "/socket.io/?EIO=4&transport=websocket",
      { headers: { "sec-websocket-version": "8" } },
    );
    expect(result.status).toBe(400);
    expect(result.headers["sec-websocket-version"]).toBe("13");
  });

  it("keeps /mux to mux.v1 whatever the query says, as over HTTP/1.1", async () => {
    const result = await openH2WebSocket(await h2Session(), "/mux?require=0");
    expect(result.status).toBe(400);
    expect(result.body).toBe(
      "require=0: /mux speaks only the subprotocol mux.v1, whatever the query says, and refuses a client that does not offer it (require is fixed at 1).\n",
    );
  });

  it("records a refusal over h2 with its :status and reason", async () => {
    const tap = newTap();
    const result = await openH2WebSocket(await h2Session(), `/echo?tap=${tap}&prefer=sideways`);
    expect(result.status).toBe(400);
    const events = await inspect(tap);
    expect(events[0]).toMatchObject({
      type: "handshake",
      transport: "h2",
      response: {
        status: 400,
        body: "prefer must be one of client, server (got 'sideways').\n",
      },
    });
  });
});
