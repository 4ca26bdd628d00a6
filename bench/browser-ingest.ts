import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/find-chromium.ts";

export interface IngestResult {
  messages: number;
  secondsToCountAll: number;
  secondsToCountFrames: number;
  longestTaskMs: number;
  heapMiB: number;
  heapAfterGcMiB: number;
  domElements: number;
  /** Clicks made while the stream ran, and the longest wait of one for the page to handle it. */
  clicks: number;
  worstInputDelayMs: number;
}

/**
 * Chromium ingesting `/stream?count=N&rate=R` with both logs visible: how long until the
 * message log counts every message and the frame log every frame, the longest main-thread
 * task meanwhile, the JS heap and the DOM size at the end, and how long clicks took while
 * the stream ran (the page must stay usable).
 */
export async function measureBrowserIngest(
  baseUrl: string,
  count: number,
  rate: number,
): Promise<IngestResult> {
  const executablePath = findChromium();
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const state = { longest: 0 };
      (window as unknown as { __longTasks: typeof state }).__longTasks = state;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          state.longest = Math.max(state.longest, entry.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(baseUrl);
    const card = page.getByTestId("connection-card").first();
    const host = new URL(baseUrl).host;
    await card.getByLabel("URL").fill(`ws://${host}/stream?count=${count}&rate=${rate}&size=64`);
    // Only what happens from here on counts.
    await page.evaluate(() => {
      (window as unknown as { __longTasks: { longest: number } }).__longTasks.longest = 0;
    });
    // Input delay as browsers define it: from the click's timestamp to its handler running.
    const hexToggle = card.getByRole("checkbox", { name: "Hex" });
    const box = await hexToggle.boundingBox();
    if (!box) throw new Error("the Hex toggle is not visible");
    await page.evaluate(() => {
      const delays: number[] = [];
      (window as unknown as { __inputDelays: number[] }).__inputDelays = delays;
      document.addEventListener(
        "pointerdown",
        (event) => delays.push(performance.now() - event.timeStamp),
        true,
      );
    });
    const started = performance.now();
    await card.getByRole("button", { name: "Connect", exact: true }).click();

    const countText = `${count.toLocaleString("en-US")} messages`;
    let counted = false;
    const allCounted = page
      .waitForFunction(
        (expected) =>
          document.querySelector('[data-testid="message-count"]')?.textContent === expected,
        countText,
        { timeout: 180_000, polling: 50 },
      )
      .then(() => {
        counted = true;
      });
    // Click the Hex toggle while the stream runs, as a person would: it must stay usable.
    while (!counted) {
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await Promise.race([allCounted, new Promise((resolve) => setTimeout(resolve, 200))]);
    }
    const secondsToCountAll = (performance.now() - started) / 1000;
    await page.waitForFunction(
      (expected) => {
        const text = document.querySelector('[data-testid="frame-count"]')?.textContent ?? "";
        return Number(text.replace(/[^0-9]/g, "")) >= expected;
      },
      count,
      { timeout: 120_000, polling: 100 },
    );
    const secondsToCountFrames = (performance.now() - started) / 1000;

    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const heap = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return (metrics.find((metric) => metric.name === "JSHeapUsedSize")?.value ?? 0) / 2 ** 20;
    };
    const heapMiB = await heap();
    await cdp.send("HeapProfiler.collectGarbage");
    const heapAfterGcMiB = await heap();
    const longestTaskMs = await page.evaluate(
      () => (window as unknown as { __longTasks: { longest: number } }).__longTasks.longest,
    );
    const domElements = await page.evaluate(() => document.getElementsByTagName("*").length);
    const delays = await page.evaluate(
      () => (window as unknown as { __inputDelays: number[] }).__inputDelays,
    );
    return {
      messages: count,
      secondsToCountAll,
      secondsToCountFrames,
      longestTaskMs,
      heapMiB,
      heapAfterGcMiB,
      domElements,
      clicks: delays.length,
      worstInputDelayMs: Math.max(0, ...delays),
    };
  } finally {
    await browser.close();
  }
}
