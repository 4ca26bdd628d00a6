import { type AddressInfo, createServer, type Socket, connect as tcpConnect } from "node:net";
import type { Locator } from "@playwright/test";
import { DEFAULT_STATIC_DIR, type RunningServer, startServer } from "../server/index.ts";
import { expect, pointCardAt, test } from "./fixtures.ts";

/** Fills the card's URL and subprotocols and presses Connect. */
async function connect(card: Locator, url: string, offer = ""): Promise<void> {
  await card.getByLabel("URL").fill(url);
  await card.getByLabel("Subprotocols").fill(offer);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
}

/** What every failure before open looks like to a script: CLOSED with 1006, no reason. */
async function expectFailedBeforeOpen(card: Locator): Promise<void> {
  await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(card.getByTestId("close-code")).toHaveText("1006");
  await expect(card.getByTestId("close-reason")).toHaveText("");
}

const verdictOf = (card: Locator) => card.getByTestId("negotiation-verdict");

test.describe("every failure explained with evidence", () => {
  test("400: the server's recorded refusal and its reason", async ({ page, card }) => {
    await pointCardAt(card, page, "/echo?require=1");
    await card.getByLabel("Subprotocols").fill("mqtt");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expectFailedBeforeOpen(card);
    const handshake = card.getByTestId("handshake");
    await expect(handshake).toContainText("HTTP/1.1 400 Bad Request");
    await expect(handshake).toContainText(
      "No offered subprotocol is accepted here (offered: mqtt; accepted: chat.v2, chat.v1, json).",
    );
    await expect(verdictOf(card)).toContainText("The server refused the handshake: HTTP 400.");
    await expect(verdictOf(card)).toContainText(
      "Its reason: No offered subprotocol is accepted here",
    );
  });

  test("404: no endpoint at that path, as the server recorded it", async ({ page, card }) => {
    await pointCardAt(card, page, "/nowhere");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expectFailedBeforeOpen(card);
    await expect(card.getByTestId("handshake")).toContainText("HTTP/1.1 404 Not Found");
    await expect(card.getByTestId("handshake")).toContainText("No WebSocket endpoint at /nowhere.");
    await expect(verdictOf(card)).toContainText("No WebSocket endpoint at /nowhere: HTTP 404.");
    await expect(verdictOf(card)).toContainText("RFC 6455 §4.1");
  });

  test("431: a URL past node's 16 KiB head limit", async ({ page, card }) => {
    await pointCardAt(card, page, `/echo?pad=${"x".repeat(17 * 1024)}`);
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expectFailedBeforeOpen(card);
    const handshake = card.getByTestId("handshake");
    await expect(handshake).toContainText("HTTP/1.1 431 Request Header Fields Too Large");
    await expect(handshake).toContainText("more characters");
    await expect(verdictOf(card)).toContainText("The request's head was too large: HTTP 431.");
    await expect(verdictOf(card)).toContainText(
      "Its reason: The request line and headers exceed the 16,384 bytes this server's HTTP parser accepts.",
    );
  });

  test("wss: to this plain-HTTP port: TLS, so no HTTP request at all", async ({ page, card }) => {
    const host = new URL(page.url()).host;
    await connect(card, `wss://${host}/echo`);
    await expectFailedBeforeOpen(card);
    await expect(verdictOf(card)).toContainText(
      "wss: to a port that speaks plain HTTP: the TLS handshake failed.",
    );
    await expect(verdictOf(card)).toContainText(`use ws://${host}/echo`);
    await expect(card.getByTestId("handshake")).toContainText("No HTTP request was made");
    // The server's own word for it: it has no record of the attempt's tap.
    await expect(verdictOf(card)).toContainText(
      "The server confirms it received no HTTP request for this attempt.",
    );
  });

  test("another server that does not answer: only 1006 can be known", async ({ card }) => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    await connect(card, "ws://127.0.0.1:1/echo");
    await expectFailedBeforeOpen(card);
    await expect(verdictOf(card)).toContainText(
      "The connection to 127.0.0.1:1 failed before it opened: close code 1006, no reason.",
    );
    await expect(verdictOf(card)).toContainText("the page cannot tell whether nothing listens");
    await expect(verdictOf(card)).not.toContainText("Waiting");
    await expect(card.getByTestId("handshake")).toContainText(
      "Only connections to the companion server can be shown",
    );
  });

  test("new WebSocket() throws: no request was made", async ({ card }) => {
    await card.getByLabel("Subprotocols").fill("not a token");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("ready-state")).toHaveText("CLOSED");
    await expect(card.getByTestId("close-code")).toHaveText("");
    await expect(verdictOf(card)).toContainText("Your browser refused to start the connection.");
    await expect(verdictOf(card)).toContainText("No request was sent");
    await expect(card.getByTestId("handshake")).toContainText(
      "new WebSocket() threw, so no request was made",
    );
    await expect(card.getByTestId("handshake")).not.toContainText("Waiting");
  });

  test("permessage-deflate: named, never called plain", async ({ page, card }) => {
    await pointCardAt(card, page, "/deflate");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await expect(card.getByTestId("negotiated-extensions")).toContainText("permessage-deflate");
    await expect(verdictOf(card)).toContainText(
      "Open with permessage-deflate, and no subprotocol.",
    );
    await expect(verdictOf(card)).not.toContainText("plain");
  });
});

test.describe("refusals that need a server of their own", () => {
  let server: RunningServer;
  test.afterEach(async () => {
    await server?.close();
  });

  test("503: the server is at its connection limit", async ({ page }) => {
    server = await startServer({
      port: 0,
      heartbeatMs: 0,
      maxConnections: 1,
      staticDir: process.env.E2E_STATIC_DIR ?? DEFAULT_STATIC_DIR,
    });
    await page.goto(server.url);
    const first = page.getByTestId("connection-card").first();
    await first.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(first.getByTestId("ready-state")).toHaveText("OPEN");

    await page.getByRole("button", { name: "New connection" }).click();
    const second = page.getByTestId("connection-card").nth(1);
    await second.getByRole("button", { name: "Connect", exact: true }).click();
    await expectFailedBeforeOpen(second);
    await expect(second.getByTestId("handshake")).toContainText("HTTP/1.1 503 Service Unavailable");
    await expect(verdictOf(second)).toContainText("The server is unavailable for now: HTTP 503.");
    await expect(verdictOf(second)).toContainText(
      "Its reason: The server is at its limit of 1 open WebSockets",
    );
  });

  test("403: a proxy in front passes its own Host for /echo", async ({ page, playground }) => {
    // Like an nginx location that forgot `proxy_set_header Host $host`: the server sees the
    // page's Origin with a Host that is not the page's, the classic 403 behind a proxy.
    const proxy = await hostRewritingProxy(playground.port, "/echo");
    try {
      const { port } = proxy;
      await page.goto(`http://127.0.0.1:${port}/`);
      const card = page.getByTestId("connection-card").first();
      await connect(card, `ws://127.0.0.1:${port}/echo`);
      await expectFailedBeforeOpen(card);
      await expect(card.getByTestId("handshake")).toContainText("HTTP/1.1 403 Forbidden");
      await expect(verdictOf(card)).toContainText(
        "The server refused this page's Origin: HTTP 403.",
      );
      await expect(verdictOf(card)).toContainText(
        `Origin http://127.0.0.1:${port} to Host 127.0.0.1:${playground.port}`,
      );
    } finally {
      await proxy.stop();
    }
  });
});

/**
 * A TCP relay to `upstreamPort` that rewrites the Host header of requests whose path starts
 * with `rewrittenPath` to the upstream's own, and passes everything else through untouched.
 */
function hostRewritingProxy(
  upstreamPort: number,
  rewrittenPath: string,
): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = tcpConnect(upstreamPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    }
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      client.off("data", onData);
      let text = head.toString("latin1");
      if (text.startsWith(`GET ${rewrittenPath}`)) {
        text = text.replace(/\r\nHost: [^\r]*/i, `\r\nHost: 127.0.0.1:${upstreamPort}`);
      }
      upstream.write(Buffer.from(text, "latin1"));
      client.pipe(upstream);
      upstream.pipe(client);
    };
    client.on("data", onData);
  });
  return new Promise((resolve) =>
    proxy.listen(0, "127.0.0.1", () =>
      resolve({
        port: (proxy.address() as AddressInfo).port,
        // The browser keeps its connections alive: end them rather than wait for it.
        stop: () =>
          new Promise<void>((stopped) => {
            proxy.close(() => stopped());
            for (const socket of sockets) socket.destroy();
          }),
      }),
    ),
  );
}
