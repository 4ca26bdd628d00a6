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
