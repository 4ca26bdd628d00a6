/**
 * Finds a Chromium for Playwright: env CHROMIUM_PATH, then the system's chromium, then
 * Playwright's own download. Returns undefined when there is none.
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const SYSTEM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of SYSTEM_NAMES) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Flags that keep Chromium quiet on a closed network and usable as root in CI. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
