import { expect, test } from "./fixtures.ts";

test("screenshot of the page", async ({ page, card }) => {
  await card.getByLabel("Subprotocols").fill("chat.v1, json");
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await expect(card.getByTestId("message-log")).toContainText("received");
  await page.screenshot({ path: "screenshots/tmp/page.png", fullPage: true });
});
