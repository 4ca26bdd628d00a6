import { expect, pointCardAt, test } from "./fixtures.ts";

test("two connections at once stay independent", async ({ page }) => {
  await page.goto("/");
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(1);
  await page.getByRole("button", { name: "New connection" }).click();
  await expect(cards).toHaveCount(2);
  const [echo, chapter] = [cards.nth(0), cards.nth(1)];

  await echo.getByLabel("Subprotocols").fill("json");
  await echo.getByRole("button", { name: "Connect", exact: true }).click();
  await pointCardAt(chapter, page, "/ws");
  await chapter.getByLabel("Subprotocols").fill("my-subprotocol");
  await chapter.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(echo.getByTestId("negotiated-protocol")).toHaveText("json");
  await expect(chapter.getByTestId("negotiated-protocol")).toHaveText("my-subprotocol");

  await chapter.getByLabel("Message").fill("one");
  await chapter.getByRole("button", { name: "Send", exact: true }).click();
  await expect(chapter.getByTestId("message-log")).toContainText("Received: one");
  await expect(echo.getByTestId("message-count")).toHaveText("0 messages");

  await echo.getByRole("button", { name: "Disconnect" }).click();
  await expect(echo.getByTestId("ready-state")).toHaveText("CLOSED");
  await expect(chapter.getByTestId("ready-state")).toHaveText("OPEN");

  await page.getByRole("button", { name: "Remove card 1" }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first().getByTestId("ready-state")).toHaveText("OPEN");
});

test("the API serves the catalogue and health", async ({ request }) => {
  const endpoints = await (await request.get("/api/endpoints")).json();
  expect(endpoints.map((endpoint: { path: string }) => endpoint.path)).toContain("/echo");
  const health = await (await request.get("/api/health")).json();
  expect(health.ok).toBe(true);
});
