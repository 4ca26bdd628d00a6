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

/** Connects the card to /echo and sends `message` `times` times. */
async function echo(card: Locator, times: number, message = "hello") {
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(card.getByTestId("ready-state")).toHaveText("OPEN");
  await card.getByLabel("Message").fill(message);
  await card.getByLabel("Times").fill(String(times));
  await card.getByRole("button", { name: "Send", exact: true }).click();
}

test("a panel collapses and expands by its title; a collapsed log keeps counting", async ({
  page,
  card,
}) => {
  const heading = card.getByRole("heading", { name: "Message log" });
  const toggle = heading.getByRole("button", { name: "Message log", exact: true });
  const log = card.getByTestId("message-log");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(log).toBeVisible();

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(heading).toBeVisible();
  await expect(log).toBeHidden();
  // Per card: a new card's message log is open.
  await page.getByRole("button", { name: "New connection" }).click();
  const second = page.getByTestId("connection-card").nth(1);
  await expect(second.getByTestId("message-log")).toBeVisible();

  await echo(card, 5);
  await expect(card.getByTestId("frame-count")).toHaveText("10 frames");
  await expect(log).toBeHidden();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(card.getByTestId("message-count")).toHaveText("10 messages");
  await expect(log.getByRole("listitem").filter({ hasText: "hello" })).toHaveCount(10);
});

test("lessons hide one panel at a time or all at once, come back, and are remembered", async ({
  page,
  card,
}) => {
  const frameLesson = card.getByText(/^What really crossed the wire/);
  const messageLesson = card.getByText(/^What your JavaScript saw/);
  const lessons = page.getByRole("switch", { name: "Lessons" });
  await expect(lessons).toBeChecked();
  await expect(frameLesson).toBeVisible();

  await card.getByRole("button", { name: "Hide the Frame log lesson" }).click();
  await expect(frameLesson).toBeHidden();
  await expect(messageLesson).toBeVisible();
  // Hidden on every card, and after a reload.
  await page.getByRole("button", { name: "New connection" }).click();
  const second = page.getByTestId("connection-card").nth(1);
  await expect(second.getByText(/^What your JavaScript saw/)).toBeVisible();
  await expect(second.getByText(/^What really crossed the wire/)).toBeHidden();
  await page.reload();
  await expect(messageLesson).toBeVisible();
  await expect(frameLesson).toBeHidden();

  await page.getByRole("button", { name: "Show 1 hidden lesson" }).click();
  await expect(frameLesson).toBeVisible();

  await lessons.uncheck();
  await expect(frameLesson).toBeHidden();
  await expect(messageLesson).toBeHidden();
  await page.reload();
  await expect(lessons).not.toBeChecked();
  await expect(card.getByRole("heading", { name: "Message log" })).toBeVisible();
  await expect(messageLesson).toBeHidden();
  await lessons.check();
  await expect(messageLesson).toBeVisible();
  await expect(frameLesson).toBeVisible();
});

test("a log pane grows by its bottom edge and then shows the rows that fit", async ({
  page,
  card,
}) => {
  await echo(card, 30);
  const log = card.getByTestId("message-log");
  await expect(card.getByTestId("message-count")).toHaveText("60 messages");
  const rows = log.getByRole("listitem");
  const before = await rows.count();
  const view = log.locator(".log-scroll");
  // Room below it for the drag, inside the window.
  await view.evaluate((element) => element.scrollIntoView({ block: "start" }));
  const { x, y, width, height } = await box(view);
  // The resize handle sits in the view's bottom right corner.
  await page.mouse.move(x + width - 3, y + height - 3);
  await page.mouse.down();
  await page.mouse.move(x + width - 3, y + height + 300, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await box(view)).height).toBeGreaterThan(height + 250);
  // 26 px rows: about 11 more fit.
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(before + 10);
  // Still following the newest row: it sits at the bottom of the grown view.
  const grown = await box(view);
  const newest = await box(rows.last());
  expect(newest.y + newest.height).toBeLessThanOrEqual(grown.y + grown.height + 1);
  expect(newest.y).toBeGreaterThan(grown.y + grown.height - 2 * newest.height);
});

test("presenter mode scales the features' own stylesheets, log rows included", async ({
  page,
  card,
}) => {
  await echo(card, 1);
  const timeline = card.getByTestId("reconnect-timeline");
  const row = card.getByTestId("message-log").getByRole("listitem").last();
  await expect(row).toContainText("hello");
  const before = { font: await fontSize(timeline), row: (await box(row)).height };

  await page.getByRole("switch", { name: "Presenter mode" }).check();
  await expect.poll(() => fontSize(timeline)).toBeGreaterThan(before.font);
  await expect.poll(async () => (await box(row)).height).toBeGreaterThan(before.row);
});

test.describe("at 1920×1080 in presenter mode", () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test("two cards' frame logs show every column without scrolling sideways", async ({ page }) => {
    const [first] = await openTwoCards(page, "/?present");
    await echo(first, 1, '{"hello":"world"}');
    const log = first.getByTestId("frame-log");
    const frame = log.getByRole("button").filter({ hasText: "to server" }).first();
    await expect(frame).toContainText('{"hello":"world"}');
    expect(await log.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    // The preview keeps a readable width (it takes a line of its own beside the mask key).
    const [shown, inside] = [await box(frame.locator(".preview")), await box(log)];
    expect(shown.width).toBeGreaterThan(400);
    expect(shown.x + shown.width).toBeLessThanOrEqual(inside.x + inside.width);
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("every column of the frame log can be scrolled to; the header diagram stays legible", async ({
    page,
    card,
  }) => {
    await echo(card, 1);
    const log = card.getByTestId("frame-log");
    await log.getByRole("button").filter({ hasText: "to server" }).click();
    // The page itself never scrolls sideways: the log does, inside its box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    const columns = log.locator(".log-header > span");
    await expect(columns).toHaveCount(10);
    const last = log.locator(".log-header").getByText("msg", { exact: true });
    await last.scrollIntoViewIfNeeded();
    await expect(last).toBeInViewport();
    for (const column of await columns.all()) {
      await column.scrollIntoViewIfNeeded();
      await expect(column).toBeInViewport();
    }

    const diagram = card.getByTestId("frame-diagram");
    await expect(diagram).toBeVisible();
    // The one-bit fields (FIN, RSV1-3, MASK) side by side, none overlapping, names not cut.
    const oneBit = diagram.locator(".one-bit");
    await expect(oneBit).toHaveCount(5);
    const boxes = await Promise.all((await oneBit.all()).map(box));
    for (const [i, next] of boxes.slice(1, 4).entries()) {
      const previous = boxes[i];
      if (!previous) throw new Error("no field");
      expect(previous.x + previous.width).toBeLessThanOrEqual(next.x);
    }
    for (const name of await diagram.locator(".one-bit .bit-name").all()) {
      expect(await name.evaluate((element) => element.scrollHeight <= element.clientHeight)).toBe(
        true,
      );
    }
  });
});
