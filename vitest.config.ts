import { defineConfig } from "vitest/config";

// Unit tests sit beside the code they test; e2e/ belongs to Playwright.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "server/**/*.test.ts", "load/**/*.test.ts"],
    environment: "node",
  },
});
