import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, pointCardAt, test } from "./fixtures.ts";

// Scenarios: the cards and what is typed in them survive a reload, travel as a link (in the
// URL fragment) and as a JSON file.

/** Two cards worth keeping: the chapter's /ws with its subprotocol, and /deflate with a draft. */
async function prepareTwoCards(page: Page): Promise<{ first: Locator; second: Locator }> {
  await page.goto("/");
  const cards = page.getByTestId("connection-card");
  const first = cards.nth(0);
  await pointCardAt(first, page, "/ws");
  await first.getByLabel("Subprotocols").fill("my-subprotocol");
  await first.getByLabel("Message").fill("Hello from the scenario");
  await page.getByRole("button", { name: "New connection" }).click();
  const second = cards.nth(1);
  await pointCardAt(second, page, "/deflate?level=9");
  await second.getByRole("radio", { name: "JSON" }).check();
  await second.getByLabel("Message").fill('{"a": [1, 2, 3]}');
  await second.getByLabel("Times").fill("4");
  await second.getByRole("checkbox", { name: "Reconnect" }).check();
  return { first, second };
}

/** Checks the cards prepared above, on whatever page shows them now. */
async function expectTwoCards(page: Page): Promise<void> {
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(2);
  const host = new URL(page.url()).host;
  const [first, second] = [cards.nth(0), cards.nth(1)];
  await expect(first.getByLabel("URL")).toHaveValue(`ws://${host}/ws`);
  await expect(first.getByLabel("Subprotocols")).toHaveValue("my-subprotocol");
  await expect(first.getByLabel("Message")).toHaveValue("Hello from the scenario");
  await expect(second.getByLabel("URL")).toHaveValue(`ws://${host}/deflate?level=9`);
  await expect(second.getByRole("radio", { name: "JSON" })).toBeChecked();
  await expect(second.getByLabel("Message")).toHaveValue('{"a": [1, 2, 3]}');
  await expect(second.getByLabel("Times")).toHaveValue("4");
  await expect(second.getByRole("checkbox", { name: "Reconnect" })).toBeChecked();
}

async function shareLink(page: Page, connect = false): Promise<string> {
  await page.getByRole("button", { name: "Share" }).click();
  if (connect)
    await page
      .getByRole("checkbox", { name: "Connect every card when the link is opened" })
      .check();
  const link = page.getByTestId("share-link");
  await expect(link).toHaveValue(connect ? /#scenario=[\w-]+&connect$/ : /#scenario=[\w-]+$/);
  return link.inputValue();
}

test("a reload keeps the cards, what is typed in them and the folded panels", async ({ page }) => {
  const { second } = await prepareTwoCards(page);
  await second.getByRole("button", { name: "Faults", exact: true }).click();
  await page.reload();
  await expectTwoCards(page);
  const cards = page.getByTestId("connection-card");
  await expect(cards.nth(1).getByRole("button", { name: "Faults", exact: true })).toHaveAttribute(
    "aria-expanded",
    "false",
  );
  await expect(cards.nth(0).getByRole("button", { name: "Faults", exact: true })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  // A removed card stays removed.
  await page.getByRole("button", { name: "Remove card 1" }).click();
  await page.reload();
  await expect(page.getByTestId("connection-card")).toHaveCount(1);
  await expect(page.getByTestId("connection-card").getByLabel("Subprotocols")).toHaveValue("");
});

test("a shared link rebuilds the same cards in a fresh browser, not connected", async ({
  page,
  browser,
  baseURL,
}) => {
  await prepareTwoCards(page);
  const link = await shareLink(page);
  expect(link.startsWith(`${baseURL}/#scenario=`)).toBe(true);

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId("scenario-notice")).toContainText(
    "Opened from the link a scenario: 2 cards, not connected",
  );
  await expectTwoCards(other);
  for (const state of await other.getByTestId("ready-state").all())
    await expect(state).toHaveText("CLOSED");
  // The fragment is taken off the address: a reload keeps what the person does next.
  expect(new URL(other.url()).hash).toBe("");
  await other.getByTestId("connection-card").first().getByLabel("Message").fill("changed");
  await other.reload();
  await expect(other.getByTestId("connection-card").first().getByLabel("Message")).toHaveValue(
    "changed",
  );
  await fresh.close();
});

test("&connect connects every card; the replaced cards can be brought back", async ({
  page,
  browser,
  baseURL,
}) => {
  await prepareTwoCards(page);
  const link = await shareLink(page, true);

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto("/");
  await other.getByTestId("connection-card").getByLabel("Subprotocols").fill("kept.v1");
  await other.goto(link);
  const cards = other.getByTestId("connection-card");
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0).getByTestId("ready-state")).toHaveText("OPEN");
  await expect(cards.nth(0).getByTestId("negotiated-protocol")).toHaveText("my-subprotocol");
  await expect(cards.nth(1).getByTestId("ready-state")).toHaveText("OPEN");
  await expect(cards.nth(1).getByTestId("negotiated-extensions")).toContainText(
    "permessage-deflate",
  );

  await other.getByRole("button", { name: "Bring back the previous cards" }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.getByLabel("Subprotocols")).toHaveValue("kept.v1");
  await fresh.close();
});

test("a mux card's lanes travel with it and open when it connects", async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto("/");
  const card = page.getByTestId("connection-card");
  await pointCardAt(card, page, "/mux");
  await card.getByLabel("Subprotocols").fill("mux.v1");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  for (const service of ["echo", "counter"]) {
    await card.getByLabel("Service").selectOption(service);
    await card.getByRole("button", { name: "Open channel" }).click();
  }
  await expect(card.getByTestId("lane")).toHaveCount(2);
  const link = await shareLink(page, true);

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto(link);
  const lanes = other.getByTestId("connection-card").getByTestId("lane");
  await expect(lanes).toHaveCount(2);
  await expect(lanes.nth(0)).toContainText("echo");
  await expect(lanes.nth(1)).toContainText("counter");
  await expect(lanes.nth(0)).toContainText("opened");
  await fresh.close();
});

test("export a JSON file, import it elsewhere; a bad file is refused with the reason", async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  await prepareTwoCards(page);
  await page.getByRole("button", { name: "Share" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON file" }).click();
  const file = testInfo.outputPath("scenario.json");
  await (await download).saveAs(file);
  const json = JSON.parse(await readFile(file, "utf8"));
  expect(json).toMatchObject({ format: "websocket-playground/scenario", version: 1 });
  // URLs on the page's own server are kept relative, so the file opens on any address of it.
  expect(json.cards[0].url).toBe("/ws");

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "Share" }).click();
  await other.getByLabel("Scenario file to import").setInputFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ ...json, cards: [{ mode: "mqtt" }] })),
  });
  await expect(other.getByRole("alert")).toContainText(
    'broken.json was not opened: scenario.cards[0].mode: must be one of "websocket", "socketio". Your cards are unchanged.',
  );
  await expect(other.getByTestId("connection-card")).toHaveCount(1);

  await other.getByLabel("Scenario file to import").setInputFiles(file);
  await expect(other.getByTestId("scenario-notice")).toContainText("Imported scenario.json");
  await expectTwoCards(other);
  await fresh.close();
});

test("a damaged link says why and leaves the cards as they were", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("connection-card").getByLabel("Subprotocols").fill("kept.v1");
  await page.goto("/#scenario=AAAA");
  await expect(page.getByRole("alert")).toContainText(
    "The link's scenario was not opened: the link's scenario is not DEFLATE data",
  );
  await expect(page.getByTestId("connection-card").getByLabel("Subprotocols")).toHaveValue(
    "kept.v1",
  );
});

test("a browser that cannot store the cards says so, instead of losing them at the next reload", async ({
  page,
}) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  await page.goto("/");
  await page.getByTestId("connection-card").getByLabel("Subprotocols").fill("kept.v1");
  await expect(page.getByRole("alert")).toContainText(
    "These cards cannot be saved in this browser (its storage is blocked or full)",
  );
});
