/**
 * The companion server in its own process for `npm run load`, so that the clients and the
 * bookkeeping do not share its event loop.
 *
 *   node --import tsx load/server-process.ts --max-connections N
 *
 * Prints `{"url","pid"}` as one JSON line once listening; then answers every line on stdin
 * with one JSON line of ServerSample (RSS, event-loop delay since the previous line and since
 * the last `mark` line, CPU). A `mark` line starts the since-mark count after answering.
 * Stops on SIGTERM (closing its server) or when stdin ends (the parent is gone).
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startServer } from "../server/index.ts";
import type { ServerReady, ServerSample } from "./child-messages.ts";
import { EventLoopDelay } from "./event-loop-delay.ts";

const { values } = parseArgs({ options: { "max-connections": { type: "string" } } });
const maxConnections = Number(values["max-connections"] ?? 10_000);

const server = await startServer({ port: 0, heartbeatMs: 0, maxConnections });
const delay = new EventLoopDelay();
delay.enable();
/** Event-loop delay since the last `mark` (ELD histograms cannot be added to one another). */
const sinceMark = new EventLoopDelay();
sinceMark.enable();

const sample = (line: string): ServerSample => {
  if (line.trim() === "mark") sinceMark.reset();
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const result: ServerSample = {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    eventLoopDelayP99Ms: delay.p99Ms(),
    eventLoopDelayMaxMs: delay.maxMs(),
    sinceMarkDelayP99Ms: sinceMark.p99Ms(),
    sinceMarkDelayMaxMs: sinceMark.maxMs(),
    cpuMicros: cpu.user + cpu.system,
  };
  delay.reset();
  return result;
};

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => process.stdout.write(`${JSON.stringify(sample(line))}\n`));
lines.on("close", stop);

const ready: ServerReady = { url: server.url, pid: process.pid };
process.stdout.write(`${JSON.stringify(ready)}\n`);
