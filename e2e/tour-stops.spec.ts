import type { Locator, Page } from "@playwright/test";
import {
  CHAPTER_TEXT,
  stopButtonName,
  TOUR_STOPS,
  type TourStop,
} from "../src/features/tour/tour-stops.ts";
import { expect, httpsTest, test } from "./fixtures.ts";

// The Tour: one stop per section of the chapter, each a scenario whose cards show the evidence
// for its sentences. (e2e/tour.spec.ts is the README's screenshot tour, not this.)

function stop(index: number): TourStop {
  const found = TOUR_STOPS[index];
  if (!found) throw new Error(`no stop ${index}`);
  return found;
}

/** Opens the Tour panel from the header. */
async function openTour(page: Page): Promise<Locator> {
  const button = page.getByRole("button", { name: "Tour", exact: true });
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const panel = page.getByRole("region", { name: "Tour of the chapter" });
  await expect(panel).toBeVisible();
  return panel;
}

/** Opens stop `index` (0-based) from the panel and waits for its cards. */
async function openStop(page: Page, index: number): Promise<Locator> {
  await page.getByRole("button", { name: stopButtonName(index, stop(index)), exact: true }).click();
  await expect(page.getByTestId("scenario-notice")).toContainText(
    `Tour stop ${index + 1}: “${stop(index).title}”`,
  );
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(stop(index).scenario.cards.length);
  return cards;
}

const outcome = (card: Locator) => ({
  state: card.getByTestId("ready-state"),
  protocol: card.getByTestId("negotiated-protocol"),
  extensions: card.getByTestId("negotiated-extensions"),
  code: card.getByTestId("close-code"),
});

for (const [index, { scenario, title }] of TOUR_STOPS.entries()) {
  test(`stop ${index + 1}, ${title}: opens its scenario's cards, connected`, async ({
    page,
    baseURL,
  }) => {
    await page.goto("/");
    const panel = await openTour(page);
    const host = new URL(baseURL ?? "").host;
    const cards = await openStop(page, index);
    await expect(panel.getByRole("heading", { level: 3 })).toHaveText(
      `Stop ${index + 1} of ${TOUR_STOPS.length}: ${title}`,
    );
    await expect(
      panel.getByRole("button", { name: stopButtonName(index, stop(index)), exact: true }),
    ).toHaveAttribute("aria-current", "step");
    for (const [position, expected] of scenario.cards.entries()) {
      const card = cards.nth(position);
      const socketIo = card.getByRole("switch", { name: "Socket.IO" });
      if (expected.mode === "socketio") {
        await expect(socketIo).toBeChecked();
        await expect(card.getByLabel("URL")).toHaveValue(`http://${host}`);
        await expect(card.getByLabel("Event", { exact: true })).toHaveValue(expected.emit.event);
      } else {
        await expect(socketIo).not.toBeChecked();
        await expect(card.getByLabel("URL")).toHaveValue(`ws://${host}${expected.url}`);
        await expect(card.getByLabel("Subprotocols")).toHaveValue(expected.subprotocols);
        await expect(card.getByLabel("Message", { exact: true })).toHaveValue(
          expected.composer.text,
        );
      }
      // Connected when opened: each card made its attempt (OPEN, or CLOSED with a close code).
      await expect(card.getByTestId("ready-state")).toHaveText(/^(OPEN|CLOSED)$/);
    }
  });
}

test("Next and Previous open the neighbouring stops; the panel comes back to its stop", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByTestId("connection-card").getByLabel("Subprotocols").fill("kept.v1");
  const panel = await openTour(page);
  // Reading a stop changes nothing until it is opened.
  await expect(panel.getByRole("heading", { level: 3 })).toHaveText(/^Stop 1 of \d: Subprotocols$/);
  await expect(page.getByTestId("connection-card")).toHaveCount(1);
  await panel.getByRole("button", { name: "Open this stop's cards" }).click();
  await expect(page.getByTestId("connection-card")).toHaveCount(3);
  await expect(panel.getByRole("button", { name: "Open this stop's cards" })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Previous stop" })).toBeDisabled();

  for (const [index, { title }] of TOUR_STOPS.entries()) {
    if (index === 0) continue;
    await panel.getByRole("button", { name: "Next stop" }).click();
    await expect(page.getByTestId("scenario-notice")).toContainText(
      `Tour stop ${index + 1}: “${title}”`,
    );
  }
  await expect(panel.getByRole("button", { name: "Next stop" })).toBeDisabled();
  await panel.getByRole("button", { name: "Previous stop" }).click();
  await expect(page.getByTestId("scenario-notice")).toContainText("Tour stop 3: “Multiplexing”");

  // Closing and reopening the panel comes back to the same stop.
  await panel.getByRole("button", { name: "Close tour" }).click();
  await expect(panel).toBeHidden();
  await openTour(page);
  await expect(panel.getByRole("heading", { level: 3 })).toHaveText(
    `Stop 3 of ${TOUR_STOPS.length}: Multiplexing`,
  );
});

test("a stop replaces the person's cards, and the notice brings them back", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("connection-card").getByLabel("Subprotocols").fill("kept.v1");
  await openTour(page);
  await openStop(page, 1);
  await expect(page.getByTestId("scenario-notice")).toContainText(
    "Tour stop 2: “Extensions: permessage-deflate”: 2 cards, Connect pressed on each.",
  );
  await page.getByRole("button", { name: "Bring back the previous cards" }).click();
  await expect(page.getByTestId("connection-card")).toHaveCount(1);
  await expect(page.getByTestId("connection-card").getByLabel("Subprotocols")).toHaveValue(
    "kept.v1",
  );
});

test("Subprotocols: the chapter's /ws snippet passes; a refused handshake and a 101 naming none end in 1006", async ({
  page,
}) => {
  await page.goto("/");
  await openTour(page);
  const cards = await openStop(page, 0);

  const snippet = cards.nth(0);
  await expect(outcome(snippet).state).toHaveText("OPEN");
  await expect(outcome(snippet).protocol).toHaveText("my-subprotocol");
  await snippet.getByRole("button", { name: "Send", exact: true }).click();
  await expect(snippet.getByTestId("message-log")).toContainText(`Received: ${CHAPTER_TEXT}`);

  // /ws without my-subprotocol: the server refuses the handshake (400), the browser says 1006.
  const refused = cards.nth(1);
  await expect(outcome(refused).code).toHaveText("1006");
  await expect(outcome(refused).state).toHaveText("CLOSED");
  await expect(refused.getByTestId("close-was-clean")).toHaveText("false");
  await expect(refused.getByTestId("close-reason")).toHaveText("");
  await expect(refused.getByTestId("handshake")).toContainText("400");
  await expect(refused.getByTestId("negotiation-verdict")).toContainText(
    "The server refused the handshake: HTTP 400.",
  );

  // /echo offered my-subprotocol, answered 101 with none: the browser fails it itself.
  const none = cards.nth(2);
  await expect(outcome(none).code).toHaveText("1006");
  await expect(outcome(none).state).toHaveText("CLOSED");
  await expect(outcome(none).protocol).toHaveText("");
  await expect(none.getByTestId("handshake")).toContainText("101");
  await expect(none.getByTestId("negotiation-verdict")).toContainText(
    "The server chose none, so your browser refused the connection.",
  );
});

test("Extensions: the same text crosses /deflate compressed and /echo at full size", async ({
  page,
}) => {
  await page.goto("/");
  await openTour(page);
  const cards = await openStop(page, 1);
  const [plain, deflated] = [cards.nth(0), cards.nth(1)];
  await expect(outcome(plain).state).toHaveText("OPEN");
  await expect(outcome(deflated).state).toHaveText("OPEN");
  await expect(outcome(plain).extensions).toHaveText("");
  await expect(outcome(deflated).extensions).toContainText("permessage-deflate");
  // Chromium offered it to /echo too, which did not accept it.
  await expect(plain.getByTestId("handshake")).toContainText(
    "Sec-WebSocket-Extensions: permessage-deflate",
  );

  const size = Buffer.byteLength(stop(1).scenario.cards[0]?.composer.text ?? "");
  const bytes = `${size.toLocaleString("en-US")} B`;
  for (const card of [plain, deflated])
    await card.getByRole("button", { name: "Send", exact: true }).click();
  const row = (card: Locator, direction: RegExp) =>
    card.getByTestId("compression-summary").getByRole("row", { name: direction }).getByRole("cell");
  const replies = (card: Locator) => row(card, /^Server → browser/);
  // /echo: not compressed, as many bytes on the wire as the message holds.
  await expect(replies(plain).nth(1)).toHaveText("0 / 1");
  await expect(replies(plain).nth(2)).toHaveText(bytes);
  await expect(replies(plain).nth(3)).toHaveText(bytes);
  // /deflate: compressed (RSV1 set), a fraction of the bytes on the wire.
  await expect(replies(deflated).nth(1)).toHaveText("1 / 0");
  await expect(replies(deflated).nth(3)).toHaveText(bytes);
  const ratio = Number.parseFloat((await replies(deflated).nth(4).textContent()) ?? "");
  expect(ratio).toBeGreaterThan(0);
  expect(ratio).toBeLessThan(0.2);
  // The browser compressed its own copy to /deflate, and not to /echo.
  await expect(row(deflated, /^Browser → server/).nth(1)).toHaveText("1 / 0");
  await expect(row(plain, /^Browser → server/).nth(1)).toHaveText("0 / 1");
});

test("Multiplexing: one /mux socket with echo and clock lanes", async ({ page }) => {
  await page.goto("/");
  await openTour(page);
  const cards = await openStop(page, 2);
  const mux = cards.nth(0);
  await expect(outcome(mux).state).toHaveText("OPEN");
  await expect(outcome(mux).protocol).toHaveText("mux.v1");
  const lanes = mux.getByTestId("lane");
  await expect(lanes).toHaveCount(2);
  await expect(lanes.nth(0)).toContainText("echo");
  await expect(lanes.nth(1)).toContainText("clock");
  for (const lane of [lanes.nth(0), lanes.nth(1)])
    await expect(lane.getByTestId("lane-state")).toHaveText("open");
  await expect(outcome(cards.nth(1)).state).toHaveText("OPEN");
  // Over HTTP/1.1 each WebSocket has a TCP connection of its own.
  const map = page.getByTestId("connection-map");
  await expect(map.getByTestId("tcp-connection")).toHaveCount(2);
  await expect(map.getByTestId("tcp-connection").first()).toContainText("HTTP/1.1");
});

test("Socket.IO: the chapter's message event is answered, and its HTML client page works", async ({
  page,
  context,
}) => {
  await page.goto("/");
  const panel = await openTour(page);
  const cards = await openStop(page, 3);
  const card = cards.nth(0);
  await expect(card.getByRole("switch", { name: "Socket.IO" })).toBeChecked();
  await expect(outcome(card).state).toHaveText("OPEN");
  await expect(card.getByLabel("Event", { exact: true })).toHaveValue("message");
  await card.getByRole("button", { name: "Emit", exact: true }).click();
  await expect(card.getByTestId("message-log")).toContainText(
    `message "Received: ${CHAPTER_TEXT}"`,
  );
  // Polling first, then the upgrade; the event as a Socket.IO packet in a WebSocket frame.
  await expect(card.getByTestId("engine-transport")).toHaveText("websocket");
  await card.getByLabel("Search frames").fill("Received");
  await expect(card.getByTestId("frame-log")).toContainText(
    `42["message","Received: ${CHAPTER_TEXT}"]`,
  );
  await card.getByLabel("Search frames").fill("open · sid");
  await expect(card.getByTestId("frame-log")).toContainText(
    "GET /socket.io/?EIO=4&transport=polling · 200 · open · sid",
  );
  // Every namespace rides the card's one Engine.IO connection.
  const sid = (await card.getByTestId("engine-sid").textContent()) ?? "";
  expect(sid).not.toBe("");
  await expect(card.getByTestId("namespace-engine-sid")).toHaveText([sid, sid, sid]);

  const opened = context.waitForEvent("page");
  await panel.getByRole("link", { name: "The chapter's Socket.IO client page" }).click();
  const client = await opened;
  await expect(client).toHaveURL(/\/examples\/socketio-client\.html$/);
  await expect(client.locator("#status")).toHaveText("Connected to server");
  await expect(client.getByRole("listitem")).toHaveText(`Received: ${CHAPTER_TEXT}`);
});

const overHttps = httpsTest;

overHttps(
  "Multiplexing over --https: the stop's two cards ride one TCP connection as HTTP/2 streams",
  async ({ page }) => {
    await page.goto("/");
    await openTour(page);
    const cards = await openStop(page, 2);
    const host = new URL(page.url()).host;
    await expect(cards.nth(0).getByLabel("URL")).toHaveValue(`wss://${host}/mux`);
    for (const card of [cards.nth(0), cards.nth(1)])
      await expect(outcome(card).state).toHaveText("OPEN");
    await expect(cards.nth(0).getByTestId("lane")).toHaveCount(2);
    const connections = page.getByTestId("connection-map").getByTestId("tcp-connection");
    await expect(connections).toHaveCount(1);
    await expect(connections).toContainText("HTTP/2");
    await expect(connections.getByTestId("map-websocket")).toHaveCount(2);
  },
);
