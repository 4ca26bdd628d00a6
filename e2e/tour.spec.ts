import { expect, test } from "./fixtures.ts";

// The README's tour, as a person would take it; the screenshot lands in test-results/ and
// is copied to docs/ when the page changes.
test("tour: negotiate, send, read the log", async ({ page, card }, testInfo) => {
  await card.getByLabel("Subprotocols").fill("chat.v1, json");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await expect(card.getByTestId("negotiated-protocol")).toHaveText("chat.v1");
  await card.getByLabel("Times").fill("3");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("6 messages");
  await card
    .getByTestId("frame-log")
    .getByRole("button")
    .filter({ hasText: "to server" })
    .first()
    .click();
  await expect(card.getByTestId("frame-diagram")).toContainText("masking key");
  await page.screenshot({ path: testInfo.outputPath("page.png"), fullPage: true });
  await card
    .getByRole("heading", { name: "Frame log" })
    .locator("..")
    .screenshot({ path: testInfo.outputPath("frame-log.png") });
});

// The README's screenshots at the three sizes the page is made for: a laptop, a projector in
// presenter mode, a phone. Each also checks what makes that size usable.

test("laptop 1280×800: the Tour's first stop, its cards connected", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await page.getByRole("button", { name: "Tour" }).click();
  await page.getByRole("button", { name: "Open stop 1: Subprotocols" }).click();
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(3);
  await expect(cards.first().getByTestId("negotiated-protocol")).toHaveText("my-subprotocol");
  await page.screenshot({ path: testInfo.outputPath("laptop-1280.png") });
});

test("projector 1920×1080 in presenter mode: two cards side by side", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/?present");
  await expect(page.getByRole("switch", { name: "Presenter mode" })).toBeChecked();
  await page.getByRole("button", { name: "Tour" }).click();
  await page.getByRole("button", { name: "Open stop 2: Extensions: permessage-deflate" }).click();
  await page.getByRole("button", { name: "Close tour" }).click();
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(2);
  for (const card of await cards.all()) {
    await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
    await card.getByRole("button", { name: "Send", exact: true }).click();
    await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  }
  const [left, right] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
  expect(left && right && right.x > left.x + left.width && right.y === left.y).toBe(true);
  // A presenter folds what the room does not need: the folded panels stay folded per card.
  for (const card of await cards.all()) {
    for (const title of ["Endpoint", "Subprotocols", "Faults", "Close"]) {
      const fold = card.getByRole("button", { name: title, exact: true });
      await fold.click();
      await expect(fold).toHaveAttribute("aria-expanded", "false");
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: testInfo.outputPath("projector-1920.png") });
});

test("phone 390×844: one card, nothing wider than the screen", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const card = page.getByTestId("connection-card");
  // The card's title, switch, state and remove button share one line (CLOSED: the widest
  // state that fits).
  const [title, remove] = [
    await card.getByRole("heading", { name: "Connection 1" }).boundingBox(),
    await card.getByRole("button", { name: "Remove card 1" }).boundingBox(),
  ];
  expect(
    title && remove && Math.abs(remove.y + remove.height / 2 - (title.y + title.height / 2)),
  ).toBeLessThan(10);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-count")).toHaveText("2 messages");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: testInfo.outputPath("phone-390.png") });
  await card
    .getByRole("heading", { name: "Frame log" })
    .locator("..")
    .screenshot({ path: testInfo.outputPath("phone-390-frame-log.png") });
});
