/**
 * `npm start`: builds the app when it is missing or older than its sources, then serves app
 * and endpoints on one port until SIGINT/SIGTERM. Flags, environment variables and defaults:
 * `usage()` in cli-options.ts (`npm start -- --help`).
 *
 * Exit codes: 0 after --help or a clean shutdown, 2 for a command line it cannot read,
 * 1 when the server cannot start (a busy port, an address this machine lacks).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listenFailure, listeningBanner, parseCli, usage } from "./cli-options.ts";
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STATIC_DIR, startServer } from "./index.ts";
import { lanIPv4Addresses } from "./lan-addresses.ts";
import { DEFAULT_CERTIFICATE_DIR, type TlsCredentials } from "./tls-certificate.ts";

const SHUTDOWN_DEADLINE_MS = 5000;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const defaults = { port: DEFAULT_PORT, host: DEFAULT_HOST };

const command = parseCli(process.argv.slice(2), process.env, defaults);
if (command.kind === "help") {
  process.stdout.write(usage(defaults));
  process.exit(0);
}
if (command.kind === "error") {
  console.error(command.message);
  process.exit(2);
}

if (command.build && appNeedsBuild()) {
  console.log("Building the app (vite build)…");
  try {
    const { build } = await import("vite");
    await build({ root: ROOT, logLevel: "warn" });
  } catch (error) {
    console.error(`The app did not build: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

const { port, host, https: httpsOption, ...rest } = command.server;
let https: boolean | TlsCredentials = httpsOption === true;
if (typeof httpsOption === "object") {
  try {
    https = { cert: readFileSync(httpsOption.certFile), key: readFileSync(httpsOption.keyFile) };
  } catch (error) {
    console.error(
      `The certificate or key could not be read: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}
let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer({ port, host, https, ...rest });
} catch (error) {
  console.error(listenFailure(error, port, host));
  process.exit(1);
}
// Handlers before the banner: a signal sent as soon as it is read must find them.
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
console.log(listeningBanner(server.url, host, server.port, lanIPv4Addresses()));
if (https === true) {
  console.log(
    `TLS with a self-signed certificate for localhost (${join(DEFAULT_CERTIFICATE_DIR, "localhost.pem")}): accept the browser's warning once, or trust that file (README, "HTTPS and HTTP/2").`,
  );
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
