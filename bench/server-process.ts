/**
 * The companion server in its own process for the bench, as it runs for a user: the bench's
 * own clients and bookkeeping then do not share its event loop.
 *
 *   node --import tsx bench/server-process.ts [--static-dir DIR]
 *
 * Prints `{"url": "...", "pid": N}` on stdout once listening.
 */
import { parseArgs } from "node:util";
import { startServer } from "../server/index.ts";
import { serveChildProtocol } from "./child-protocol.ts";

const { values } = parseArgs({ options: { "static-dir": { type: "string" } } });
const server = await startServer({
  port: 0,
  heartbeatMs: 0,
  // The bench measures round trips as fast as they go: the per-connection rate limit (a
  // safety default of 2,000 messages/s) would close its clients with 1008.
  maxMessagesPerSecond: 0,
  ...(values["static-dir"] ? { staticDir: values["static-dir"] } : {}),
});
serveChildProtocol({ url: server.url, pid: process.pid }, () => server.close());
