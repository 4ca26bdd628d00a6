/**
 * A Playwright fixture for other projects' suites (`websocket-playground/playwright`): a
 * companion server per worker on a free port of 127.0.0.1, closed when the worker ends.
 *
 *   import { test, expect } from "websocket-playground/playwright";
 *   test("echo", async ({ page, playground }) => { await page.goto(playground.url); … });
 */
import { test as base } from "@playwright/test";
import { type RunningServer, startServer } from "./index.ts";

export const test = base.extend<object, { playground: RunningServer }>({
  playground: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature.
    async ({}, use) => {
      const server = await startServer({ port: 0 });
      await use(server);
      await server.close();
    },
    { scope: "worker" },
  ],
});

export { expect } from "@playwright/test";
