/**
 * `npm start`: builds the app when it is missing or older than its sources, then serves app
 * and endpoints on one port until SIGINT/SIGTERM.
 *
 *   --port N / PORT                 default 8000
 *   --host ADDR / HOST              default 127.0.0.1 (0.0.0.0 to reach it from a LAN)
 *   --allowed-origins A,B / ALLOWED_ORIGINS   extra origins allowed to connect (default none)
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STATIC_DIR, startServer } from "./index.ts";
import { parseAllowedOrigins } from "./origin.ts";

const SHUTDOWN_DEADLINE_MS = 5000;
const ROOT = fileURLToPath(new URL("..", import.meta.url));

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "allowed-origins": { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
  strict: true,
});

const portText = values.port ?? process.env.PORT ?? String(DEFAULT_PORT);
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port '${portText}': give a whole number from 0 to 65535.`);
  process.exit(2);
}

if (!values["no-build"] && appNeedsBuild()) {
  console.log("Building the app (vite build)…");
  const { build } = await import("vite");
  await build({ root: ROOT, logLevel: "warn" });
}

const server = await startServer({
  port,
  host: values.host ?? process.env.HOST ?? DEFAULT_HOST,
  allowedOrigins: parseAllowedOrigins(values["allowed-origins"] ?? process.env.ALLOWED_ORIGINS),
});
console.log(`WebSocket Playground on ${server.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing every connection with 1001…`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(() => process.exit(0));
  });
}

/** True when dist/ is missing or any app source is newer than the built index.html. */
function appNeedsBuild(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(join(DEFAULT_STATIC_DIR, "index.html")).mtimeMs;
  } catch {
    return true;
  }
  const sources = ["index.html", "vite.config.ts", "src", "public"].map((name) => join(ROOT, name));
  return sources.some((path) => newestMtime(path) > builtAt);
}

function newestMtime(path: string): number {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stats.mtimeMs,
  );
}
