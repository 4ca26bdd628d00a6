/**
 * Chromium for the browser rows, started by the bench itself (headless, DevTools on a free
 * port) and driven over plain CDP (bench/cdp.ts), so that no domain is on unless a row asks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CHROMIUM_ARGS, findChromium } from "../e2e/find-chromium.ts";
import { CdpConnection } from "./cdp.ts";
import { startChild } from "./child-process.ts";

export interface Chromium {
  cdp: CdpConnection;
  /** The browser's DevTools WebSocket URL. */
  endpoint: string;
  version: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const executable = findChromium();
  if (!executable) {
    throw new Error(
      "no Chromium found: set CHROMIUM_PATH or run `npx playwright install chromium`",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "bench-chromium-"));
  const child = startChild(
    executable,
    [
      ...CHROMIUM_ARGS,
      "--headless",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      // What Playwright also passes: a page must not be throttled for being in the background
      // of a headless browser, or its timers and frames would measure the throttling.
      "--disable-background-timer-throttling",
      "--disable-backgrounding-occluded-windows",
      "--disable-renderer-backgrounding",
      "about:blank",
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  const cleanup = async () => {
    await child.stop();
    // Chromium's helpers may still be writing to the profile just after the browser exits.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (error) {
      console.error(`could not remove ${profile}: ${error}`);
    }
  };
  try {
    // Chromium says where DevTools listens on stderr: "DevTools listening on ws://…".
    const lines = createInterface({ input: child.process.stderr as NodeJS.ReadableStream });
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Chromium did not start in 30 s")), 30_000);
      lines.on("line", (line) => {
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.process.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited with ${code} before DevTools was up`));
      });
    });
    // Keep draining stderr so that a chatty Chromium never blocks on a full pipe.
    lines.removeAllListeners("line");
    lines.on("line", () => undefined);
    const cdp = await CdpConnection.connect(endpoint);
    const { product } = await cdp.send("Browser.getVersion");
    return {
      cdp,
      endpoint,
      version: String(product),
      close: async () => {
        await cdp.send("Browser.close").catch(() => undefined);
        cdp.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
