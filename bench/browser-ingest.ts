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
  slowestClickMs: number;
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
    const started = performance.now();
    await card.getByRole("button", { name: "Connect", exact: true }).click();

    let slowestClickMs = 0;
    const countText = `${count.toLocaleString("en-US")} messages`;
    const messageCount = card.getByTestId("message-count");
    const hexToggle = card.getByRole("checkbox", { name: "Hex" });
    // Click while the stream runs: each click must be handled promptly.
    while ((await messageCount.textContent()) !== countText) {
      const clickStarted = performance.now();
      await hexToggle.click();
      slowestClickMs = Math.max(slowestClickMs, performance.now() - clickStarted);
      if (performance.now() - started > 180_000) throw new Error("ingest did not finish in 180 s");
      await page.waitForTimeout(250);
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
    return {
      messages: count,
      secondsToCountAll,
      secondsToCountFrames,
      longestTaskMs,
      heapMiB,
      heapAfterGcMiB,
      domElements,
      slowestClickMs,
    };
  } finally {
    await browser.close();
  }
}
