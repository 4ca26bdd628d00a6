/**
 * `npm run dev`: the companion server on DEV_SERVER_PORT (default 8001) and Vite with HMR on
 * PORT (default 5173) and HOST (default 127.0.0.1), proxying the REST API and every WebSocket
 * path to the server. ALLOWED_HOSTS (default none) adds names both accept in the Host header.
 */
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { ENDPOINTS } from "../src/protocol/endpoint-catalogue.ts";
import { canonicalHostname, parseAllowedHosts } from "./host-check.ts";
import { startServer } from "./index.ts";
import { isWildcardAddress, machineAddresses } from "./lan-addresses.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const viteHost = process.env.HOST ?? "127.0.0.1";
const allowedHosts = parseAllowedHosts(process.env.ALLOWED_HOSTS);
if (!allowedHosts.ok) {
  console.error(`Invalid ALLOWED_HOSTS: ${allowedHosts.error}`);
  process.exit(2);
}

// The proxy passes the browser's Host on (the page's Origin must match it), so the companion
// must also accept every name Vite is opened under: Vite's address, or on 0.0.0.0 all of the
// machine's.
const companionOptions = {
  port: Number(process.env.DEV_SERVER_PORT ?? 8001),
  allowedHosts: [
    ...allowedHosts.hosts,
    ...(isWildcardAddress(viteHost) ? machineAddresses() : [viteHost]).map(
      (address) => canonicalHostname(address) ?? address,
    ),
  ],
};
const companion = await startServer(companionOptions);
const target = companion.url;

// Exact-path patterns: a prefix like "/ws" would also capture Vite's own modules.
const wsPaths = [...ENDPOINTS.map((endpoint) => endpoint.path), "/inspect"];
const proxy = Object.fromEntries([
  ["/api", { target }],
  ["/socket.io", { target, ws: true }],
  ...wsPaths.map((path) => [`^${path}(\\?.*)?$`, { target, ws: true }]),
]);

const vite = await createServer({
  root: ROOT,
  server: {
    port: Number(process.env.PORT ?? 5173),
    host: viteHost,
    proxy,
    // Vite's own DNS-rebinding guard; it already lets in localhost and IP addresses.
    allowedHosts: allowedHosts.hosts.includes("*") ? true : allowedHosts.hosts,
  },
});
await vite.listen();
vite.printUrls();
console.log(`Companion server on ${target}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await Promise.all([vite.close(), companion.close()]);
    process.exit(0);
  });
}
