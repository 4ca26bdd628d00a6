import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

async function openTwoCards(page: Page, path = "/"): Promise<[Locator, Locator]> {
  await page.goto(path);
  const cards = page.getByTestId("connection-card");
  await expect(cards).toHaveCount(1);
  await page.getByRole("button", { name: "New connection" }).click();
  await expect(cards).toHaveCount(2);
  return [cards.nth(0), cards.nth(1)];
}

async function box(locator: Locator) {
  const rect = await locator.boundingBox();
  if (!rect) throw new Error("card not laid out");
  return rect;
}

const fontSize = (locator: Locator) =>
  locator.evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));

test.describe("at 1920×1080", () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test("two cards sit side by side", async ({ page }) => {
    const [first, second] = await openTwoCards(page);
    const [a, b] = [await box(first), await box(second)];
    expect(Math.abs(a.y - b.y)).toBeLessThan(1);
    expect(a.x + a.width).toBeLessThanOrEqual(b.x);
    // Side by side, not squeezed: each card uses a good part of the screen.
    expect(a.width).toBeGreaterThan(700);
  });

  test("presenter mode keeps them side by side, down to 1600 px", async ({ page }) => {
    await page.setViewportSize({ width: 1600, height: 900 });
    const [first, second] = await openTwoCards(page, "/?present");
    await expect(page.getByRole("switch", { name: "Presenter mode" })).toBeChecked();
    const [a, b] = [await box(first), await box(second)];
    expect(Math.abs(a.y - b.y)).toBeLessThan(1);
    expect(a.x + a.width).toBeLessThanOrEqual(b.x);
  });
});

test("at 1280×800 the cards stack", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const [first, second] = await openTwoCards(page);
  const [a, b] = [await box(first), await box(second)];
  expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
  expect(Math.abs(a.x - b.x)).toBeLessThan(1);
});

test("Presenter mode scales the type and is remembered", async ({ page }) => {
  await page.goto("/");
  const presenter = page.getByRole("switch", { name: "Presenter mode" });
  const title = page.getByTestId("connection-card").first().getByRole("heading", { level: 2 });
  const lesson = page.locator(".app-header .lesson");
  const badge = page.getByTestId("ready-state").first();
  await expect(presenter).not.toBeChecked();
  const before = [await fontSize(title), await fontSize(lesson), await fontSize(badge)];

  await presenter.check();
  await expect(presenter).toBeChecked();
  const after = [await fontSize(title), await fontSize(lesson), await fontSize(badge)];
  for (const [i, size] of after.entries()) expect(size).toBeGreaterThan(before[i] ?? size);

  // Remembered across a reload, and off again for good once switched off.
  await page.reload();
  await expect(presenter).toBeChecked();
  expect(await fontSize(title)).toBe(after[0]);
  await presenter.uncheck();
  await page.reload();
  await expect(presenter).not.toBeChecked();
  expect(await fontSize(title)).toBe(before[0]);
});

test("?present turns presenter mode on at load", async ({ page }) => {
  await page.goto("/");
  const title = page.getByTestId("connection-card").first().getByRole("heading", { level: 2 });
  const normal = await fontSize(title);
  await page.goto("/?present");
  await expect(page.getByRole("switch", { name: "Presenter mode" })).toBeChecked();
  expect(await fontSize(title)).toBeGreaterThan(normal);
});
