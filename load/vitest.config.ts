import { defineConfig } from "vitest/config";

// `npm run load` is not part of `npm test`; its pure modules' tests run with
// `npx vitest run --config load/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ["load/**/*.test.ts"],
    environment: "node",
  },
});
