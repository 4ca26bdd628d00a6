// `npm run test:install`: the README's install for test authors, done for real in a scratch
// project — the package packed as npm would publish it, installed with its runtime
// dependencies only, its server started, and a Playwright test run with its fixture.
// Needs the npm registry; not part of `npm test`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "playground-install-"));
const run = (command, args, cwd) => {
  console.log(`$ ${command} ${args.join(" ")}  (in ${cwd})`);
  execFileSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, CI: "1" } });
};
try {
  run("npm", ["pack", "--pack-destination", scratch], root);
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack made no tarball");
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module" }, null, 2),
  );
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", `./${tarball}`, "@playwright/test@1.65"],
    scratch,
  );
  for (const heavy of ["react", "react-dom", "vite", "zustand", "esbuild"]) {
    if (existsSync(join(scratch, "node_modules", heavy))) {
      throw new Error(`the consumer's tree has ${heavy}: the server should not need it`);
    }
  }
  writeFileSync(
    join(scratch, "health.spec.js"),
    `import { test, expect } from "websocket-playground/playwright";
test("the playground answers", async ({ playground, request }) => {
  const health = await request.get(playground.url + "/api/health");
  expect(health.ok()).toBe(true);
  expect((await health.json()).ok).toBe(true);
  const page = await request.get(playground.url + "/");
  expect(await page.text()).toContain("WebSocket Playground");
});
`,
  );
  run("npx", ["playwright", "test", "health.spec.js", "--reporter=line"], scratch);
  console.log(
    "install check passed: packed, installed without the page's build tools, served, tested",
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
