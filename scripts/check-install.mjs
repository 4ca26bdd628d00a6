// `npm run test:install`: the README's two installs for test authors, done for real in scratch
// projects — (1) the package packed as npm would publish it, installed with its runtime
// dependencies only, its server started, and a Playwright test run with its fixture; (2) the
// clone installed straight from its folder (`npm install -D --install-links ../websocket-playground`:
// npm packs it as in (1); a plain link would resolve @playwright/test from the clone's own
// node_modules, a second copy that Playwright refuses), the same test.
// Needs the npm registry; not part of `npm test`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "playground-install-"));
const linked = mkdtempSync(join(tmpdir(), "playground-link-"));
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
  const spec = `import { test, expect } from "websocket-playground/playwright";
test("the playground answers", async ({ playground, request }) => {
  const health = await request.get(playground.url + "/api/health");
  expect(health.ok()).toBe(true);
  expect((await health.json()).ok).toBe(true);
  const page = await request.get(playground.url + "/");
  expect(await page.text()).toContain("WebSocket Playground");
});
`;
  writeFileSync(join(scratch, "health.spec.js"), spec);
  run("npx", ["playwright", "test", "health.spec.js", "--reporter=line"], scratch);

  // (2) The clone, installed from its folder.
  writeFileSync(
    join(linked, "package.json"),
    JSON.stringify({ name: "scratch-linked", private: true, type: "module" }, null, 2),
  );
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "-D", "--install-links", root, "@playwright/test@1.65"],
    linked,
  );
  writeFileSync(join(linked, "health.spec.js"), spec);
  run("npx", ["playwright", "test", "health.spec.js", "--reporter=line"], linked);
  console.log(
    "install check passed: packed and installed without the page's build tools, and from the clone's folder; served and tested both ways",
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(linked, { recursive: true, force: true });
}
