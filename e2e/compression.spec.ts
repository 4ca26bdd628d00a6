import type { Locator, Page } from "@playwright/test";
import { expect, pointCardAt, test } from "./fixtures.ts";

async function connect(card: Locator, page: Page, path: string) {
  await pointCardAt(card, page, path);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
}

async function sendGenerated(card: Locator, kind: string, size: string, copies: string) {
  await card.getByLabel("Payload kind").selectOption({ label: kind });
  await card.getByLabel("Payload size").selectOption({ label: size });
  await card.getByLabel("Copies").fill(copies);
  await card.getByRole("button", { name: "Transmit generated payload" }).click();
}

/** The wire sizes of the last two (alike) server replies, as the chart's caption states them. */
async function lastTwoWireSizes(card: Locator): Promise<[number, number]> {
  const caption = card.getByText(/^Last two replies/);
  await expect(caption).toBeVisible();
  const match = /([\d,]+) B then ([\d,]+) B/.exec((await caption.textContent()) ?? "");
  const size = (text: string | undefined) => Number(text?.replaceAll(",", ""));
  return [size(match?.[1]), size(match?.[2])];
}

/** The cells of one direction's row of the totals: messages, compressed / not, wire, decoded, ratio. */
const totalsRow = (card: Locator, direction: string) =>
  card.getByTestId("compression-summary").getByRole("row", { name: new RegExp(`^${direction}`) });

test("totals and ratio of repetitive text under /deflate, and the verdict", async ({
  card,
  page,
}) => {
  await connect(card, page, "/deflate");
  await expect(card.getByText("Open with permessage-deflate, and no subprotocol.")).toBeVisible();
  await expect(card).not.toContainText("plain WebSocket");
  const summary = card.getByTestId("compression-summary");
  await expect(summary).toContainText("permessage-deflate agreed: permessage-deflate");

  await sendGenerated(card, "Repetitive text", "10,240 B", "2");
  const fromServer = totalsRow(card, "Server → browser").getByRole("cell");
  await expect(fromServer.nth(0)).toHaveText("2");
  await expect(fromServer.nth(1)).toHaveText("2 / 0");
  await expect(fromServer.nth(3)).toHaveText("20,480 B");
  const ratio = Number.parseFloat((await fromServer.nth(4).textContent()) ?? "");
  expect(ratio).toBeGreaterThan(0);
  expect(ratio).toBeLessThan(0.2);
  // Context takeover: the second copy refers back into the first (deflate's matches are at
  // most 258 bytes long, so 10 KiB still costs some 40 of them).
  const [first, second] = await lastTwoWireSizes(card);
  expect(second).toBeLessThan(first);
  const fromBrowser = totalsRow(card, "Browser → server").getByRole("cell");
  await expect(fromBrowser.nth(1)).toHaveText("2 / 0");
});

test("the threshold is explained as the server's alone, with the browser's own evidence", async ({
  card,
  page,
}) => {
  await connect(card, page, "/deflate?threshold=20");
  await card.getByLabel("Message").fill("hello");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(totalsRow(card, "Server → browser").getByRole("cell").nth(1)).toHaveText("0 / 1");
  await expect(totalsRow(card, "Browser → server").getByRole("cell").nth(1)).toHaveText("1 / 0");
  const threshold = card.getByRole("definition").filter({ hasText: "Honoured only by the server" });
  await expect(threshold).toContainText("your browser compresses every message it sends");
  await expect(threshold).toContainText("a 5-byte message from your browser crossed compressed");
});

test("a chart compares /echo with /deflate side by side; /echo compresses nothing", async ({
  card,
  page,
}) => {
  await connect(card, page, "/echo");
  await page.getByRole("button", { name: "New connection" }).click();
  const second = page.getByTestId("connection-card").nth(1);
  await connect(second, page, "/deflate");

  await sendGenerated(card, "JSON records", "1,024 B", "3");
  await sendGenerated(second, "JSON records", "1,024 B", "2");
  const echoRow = totalsRow(card, "Server → browser").getByRole("cell");
  await expect(echoRow.nth(1)).toHaveText("0 / 3");
  await expect(echoRow.nth(4)).toHaveText(/^1\.000/);
  await expect(card.getByTestId("compression-summary")).toContainText("No compression agreed");
  await expect(card.getByText(/6 messages, 0 of them with RSV1 set/)).toBeAttached();
  await expect(totalsRow(second, "Server → browser").getByRole("cell").nth(1)).toHaveText("2 / 0");
  // 1 KiB of JSON costs hundreds of bytes alone, and a few back-references the second time.
  const [firstCopy, secondCopy] = await lastTwoWireSizes(second);
  expect(secondCopy).toBeLessThan(firstCopy / 4);

  await second.getByLabel("Compare with").selectOption({ label: "Connection 1" });
  const chart = second.getByRole("img", {
    name: "Wire bytes per server reply: connection 2 against connection 1",
  });
  await expect(chart).toBeVisible();
  await expect(chart.locator("polyline")).toHaveCount(3);
  await expect(second.getByText("Connection 1: wire bytes")).toBeVisible();
});
