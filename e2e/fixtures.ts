import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { type RunningServer, startServer } from "../server/index.ts";

interface WorkerFixtures {
  playground: RunningServer;
}

interface TestFixtures {
  /** The first connection card of a freshly opened page. */
  card: Locator;
}

/**
 * A real companion server per worker, on a free port: the same `startServer()` that other
 * projects can use in their own Playwright suites.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  playground: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
    async ({}, use) => {
      // E2E_STATIC_DIR lets parallel work trees test their own build of the page.
      const staticDir = process.env.E2E_STATIC_DIR;
      const server = await startServer({
        port: 0,
        heartbeatMs: 0,
        ...(staticDir ? { staticDir } : {}),
      });
      await use(server);
      await server.close();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ playground }, use) => {
    await use(playground.url);
  },
  card: async ({ page }, use) => {
    await page.goto("/");
    await use(page.getByTestId("connection-card").first());
  },
});

/**
 * The same server over TLS with HTTP/2 (`npm start -- --https`), one per worker, its
 * self-signed certificate accepted by the browser context: for WebSocket over HTTP/2 (RFC 8441).
 */
export const httpsTest = base.extend<object, { tlsPlayground: RunningServer }>({
  tlsPlayground: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
    async ({}, use) => {
      const staticDir = process.env.E2E_STATIC_DIR;
      const server = await startServer({
        port: 0,
        heartbeatMs: 0,
        https: true,
        ...(staticDir ? { staticDir } : {}),
      });
      await use(server);
      await server.close();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ tlsPlayground }, use) => {
    await use(tlsPlayground.url);
  },
  ignoreHTTPSErrors: true,
});

export { expect };

/** Sets the card's URL to `path` on the companion server (with the page's own origin). */
export async function pointCardAt(card: Locator, page: Page, path: string): Promise<void> {
  const origin = new URL(page.url());
  await card.getByLabel("URL").fill(`ws://${origin.host}${path}`);
}
