/**
 * `npm run dev`: the companion server on DEV_SERVER_PORT (default 8001) and Vite with HMR on
 * PORT (default 5173), proxying the REST API and every WebSocket path to the server.
 */
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { ENDPOINTS } from "../src/protocol/endpoint-catalogue.ts";
import { startServer } from "./index.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const companion = await startServer({ port: Number(process.env.DEV_SERVER_PORT ?? 8001) });
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
  server: { port: Number(process.env.PORT ?? 5173), host: process.env.HOST ?? "127.0.0.1", proxy },
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
