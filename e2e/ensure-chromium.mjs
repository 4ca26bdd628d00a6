// Makes sure `npm run test:e2e` has a Chromium: env CHROMIUM_PATH, the system's chromium,
// or Playwright's own. If none is found it tries `npx playwright install chromium`, then the
// OS package (as root on Debian/Ubuntu), and otherwise says exactly what to do.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const names = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

function systemChromium() {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const found = systemChromium() ?? (await playwrightChromium());
if (found) {
  console.log(`Chromium for the e2e tests: ${found}`);
  process.exit(0);
}

console.log("No Chromium found: trying `npx playwright install chromium`…");
const viaPlaywright = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
if (viaPlaywright.status === 0 && (await playwrightChromium())) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (isRoot && existsSync("/usr/bin/apt-get")) {
  console.log("Playwright could not download a browser: installing Debian's chromium…");
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit" });
  } catch {
    // fall through to the instructions
  }
  if (systemChromium()) process.exit(0);
}

console.error(`
No Chromium is available for the browser tests. Do one of these, then run npm test again:
  - Debian/Ubuntu:  sudo apt-get install -y chromium
  - Fedora:         sudo dnf install -y chromium
  - macOS:          brew install --cask chromium
  - any system with internet access:  npx playwright install chromium
  - or point CHROMIUM_PATH at an existing Chromium or Chrome binary.
`);
process.exit(1);
