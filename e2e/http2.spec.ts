import { expect, type Locator, type Page } from "@playwright/test";
import WebSocket from "ws";
import { httpsTest } from "./fixtures.ts";

/**
 * WebSocket over HTTP/2 (RFC 8441) in Chromium: the page comes over HTTP/2 from a TLS server
 * started here with `https: true` (its self-signed certificate accepted by this context), and
 * Chromium opens each WebSocket as a stream of the page's own connection.
 */
const test = httpsTest;

async function connectCard(card: Locator, page: Page, path: string): Promise<void> {
  await card.getByLabel("URL").fill(`wss://${new URL(page.url()).host}${path}`);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
}

test("three WebSockets ride one TCP connection as HTTP/2 streams, each echoing", async ({
  page,
}) => {
  await page.goto("/");
  const cards = page.getByTestId("connection-card");
  await page.getByRole("button", { name: "New connection" }).click();
  await page.getByRole("button", { name: "New connection" }).click();
  await expect(cards).toHaveCount(3);
  for (let index = 0; index < 3; index += 1) await connectCard(cards.nth(index), page, "/echo");

  const map = page.getByTestId("connection-map");
  const connections = map.getByTestId("tcp-connection");
  await expect(connections).toHaveCount(1);
  await expect(connections.first()).toContainText("HTTP/2");
  const webSockets = connections.first().getByTestId("map-websocket");
  await expect(webSockets).toHaveCount(3);
  const streams = await webSockets.evaluateAll((items) =>
    items.map((item) => item.getAttribute("data-stream")),
  );
  expect(new Set(streams).size).toBe(3);
  for (const stream of streams) expect(Number(stream)).toBeGreaterThan(0);

  for (let index = 0; index < 3; index += 1) {
    const card = cards.nth(index);
    await card.getByLabel("Message").fill(`hello ${index}`);
    await card.getByRole("button", { name: "Send", exact: true }).click();
    await expect(
      card.getByTestId("message-log").getByRole("listitem").filter({ hasText: "received" }),
    ).toContainText(`hello ${index}`);
  }
  const handshake = cards.first().getByTestId("handshake");
  await expect(handshake).toContainText(":protocol");
  await expect(handshake).toContainText(":status 200");
});

test("/deflate negotiates permessage-deflate over HTTP/2", async ({ page }) => {
  await page.goto("/");
  const card = page.getByTestId("connection-card").first();
  await connectCard(card, page, "/deflate");
  await expect(card.getByTestId("negotiated-extensions")).toContainText("permessage-deflate");
  await expect(page.getByTestId("connection-map")).toContainText("HTTP/2");
  await card.getByLabel("Message").fill("squeeze ".repeat(50));
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(
    card.getByTestId("message-log").getByRole("listitem").filter({ hasText: "received" }),
  ).toContainText("squeeze squeeze");
});

test("the same https server still serves HTTP/1.1 WebSocket upgrades", async ({
  tlsPlayground,
}) => {
  const ws = new WebSocket(`${tlsPlayground.url.replace("https", "wss")}/echo`, {
    rejectUnauthorized: false,
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  ws.send("over HTTP/1.1");
  const echoed = await new Promise<string>((resolve) =>
    ws.once("message", (data) => resolve(String(data))),
  );
  expect(echoed).toBe("over HTTP/1.1");
  ws.close(1000);
});

test("Socket.IO over the same TLS server: polling over HTTP/2, then its WebSocket", async ({
  page,
}) => {
  await page.goto("/");
  const card = page.getByTestId("connection-card").first();
  const toggle = card.getByRole("switch", { name: "Socket.IO" });
  await toggle.check();
  await expect(toggle).toBeChecked();
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await card.getByLabel("Event", { exact: true }).fill("message");
  await card.getByLabel("Message", { exact: true }).fill('"over h2"');
  await card.getByRole("button", { name: "Emit", exact: true }).click();
  const root = card
    .getByTestId("namespace-pane")
    .filter({ has: page.getByRole("heading", { name: "/", exact: true }) });
  await expect(root).toContainText("Received: over h2");
});
