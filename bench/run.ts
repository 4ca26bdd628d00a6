/**
 * `npm run bench`: the performance targets, measured side by side in one run and printed as
 * a table. Everything talks to 127.0.0.1 and stops by itself.
 *
 *   --quick   fewer messages (a smoke run, not for reporting)
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startServer } from "../server/index.ts";
import { measureBrowserIngest } from "./browser-ingest.ts";
import { measureEcho, startBareEcho } from "./echo-throughput.ts";
import { measureParser } from "./parser-speed.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;

const server = await startServer({ port: 0, heartbeatMs: 0 });
const bare = await startBareEcho();
const wsBase = server.url.replace("http", "ws");
const rows: [string, string, string][] = [];
const row = (what: string, value: string, target = "") => {
  rows.push([what, value, target]);
  console.error(`  ${what}: ${value}`);
};

try {
  // (a) echo throughput. The three servers run interleaved round by round, so drift on a
  // shared machine hits all alike; each reports its median. The main thread's busy time per
  // round trip (event-loop utilisation) is the steadier measure of what the tap costs.
  const echo = { messages: quick ? 5_000 : 50_000, size: 64, window: 64 };
  const rounds = quick ? 3 : 15;
  type Sample = { rate: number; busyMicros: number };
  const results: Record<"bare" | "off" | "on", Sample[]> = { bare: [], off: [], on: [] };
  let tapNumber = 0;
  const sample = async (url: string): Promise<Sample> => {
    const before = performance.eventLoopUtilization();
    const run = await measureEcho(url, echo);
    const busy = performance.eventLoopUtilization(before);
    return { rate: run.messagesPerSecond, busyMicros: (busy.active * 1000) / echo.messages };
  };
  console.error(
    `echo throughput: ${rounds} rounds of ${echo.messages} messages of ${echo.size} B, ${echo.window} in flight`,
  );
  for (const url of [`${bare.url}/`, `${wsBase}/echo`, `${wsBase}/echo?tap=bench-warmup`]) {
    await measureEcho(url, { ...echo, messages: 10_000 });
  }
  for (let round = 0; round < rounds; round += 1) {
    // Alternate the order, so that neither side always runs right after the other.
    const order: (keyof typeof results)[] =
      round % 2 === 0 ? ["bare", "off", "on"] : ["on", "off", "bare"];
    for (const key of order) {
      if (key === "on") tapNumber += 1;
      const url =
        key === "bare"
          ? `${bare.url}/`
          : key === "off"
            ? `${wsBase}/echo`
            : `${wsBase}/echo?tap=bench-tap-${tapNumber}`;
      results[key].push(await sample(url));
    }
  }
  const median = (list: number[]) =>
    [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  const rateOf = (key: keyof typeof results) => median(results[key].map((r) => r.rate));
  const busyOf = (key: keyof typeof results) => median(results[key].map((r) => r.busyMicros));
  const [bareRate, offRate, onRate] = [rateOf("bare"), rateOf("off"), rateOf("on")];
  console.error(
    `  spread of bare ws rounds: ${Math.round(Math.min(...results.bare.map((r) => r.rate)))}–${Math.round(Math.max(...results.bare.map((r) => r.rate)))} msg/s`,
  );
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} msg/s`;
  const busy = (key: keyof typeof results) => `${busyOf(key).toFixed(2)} µs`;
  row("echo: bare ws server (median)", rate(bareRate));
  row("echo: playground, tap off (median)", rate(offRate));
  row("echo: playground, tap on (median)", rate(onRate));
  // Each round's ratio compares runs seconds apart; their median resists the drift of a
  // shared machine better than a ratio of two medians.
  const pairedRatio = (key: "off" | "on") =>
    median(results[key].map((r, index) => r.rate / (results.bare[index]?.rate ?? Number.NaN)));
  row("ratio tap off ÷ bare ws (median of rounds)", pairedRatio("off").toFixed(3));
  row("ratio tap on ÷ bare ws (median of rounds)", pairedRatio("on").toFixed(3), "≥ 0.90");
  row(
    "server thread busy per round trip: bare / off / on",
    `${busy("bare")} / ${busy("off")} / ${busy("on")}`,
  );

  // (b) parser speed.
  row(
    "parser, 1 KiB masked frames",
    `${measureParser(quick ? 2_000 : 20_000, 1024).toFixed(0)} MB/s`,
  );
  row(
    "parser, 64 B masked frames",
    `${measureParser(quick ? 5_000 : 100_000, 64).toFixed(0)} MB/s`,
  );

  // (c) browser ingest.
  const count = quick ? 10_000 : 100_000;
  console.error(`browser ingest of /stream?count=${count}&rate=10000 in Chromium…`);
  const ingest = await measureBrowserIngest(server.url, count, 10_000);
  row(
    `browser: time to count ${count.toLocaleString("en-US")} messages`,
    `${ingest.secondsToCountAll.toFixed(1)} s`,
    "all counted",
  );
  row(
    "browser: time until the frame log has them too",
    `${ingest.secondsToCountFrames.toFixed(1)} s`,
  );
  row(
    "browser: longest main-thread task",
    ingest.longestTaskMs === 0
      ? "none ≥ 50 ms (Long Tasks API)"
      : `${ingest.longestTaskMs.toFixed(0)} ms`,
    "< 100 ms",
  );
  row("browser: JS heap at the end", `${ingest.heapMiB.toFixed(1)} MiB`, "< 150 MiB");
  row("browser: JS heap after GC", `${ingest.heapAfterGcMiB.toFixed(1)} MiB`);
  row("browser: DOM elements", String(ingest.domElements), "< 2,000");
  row(
    "browser: worst input delay of clicks during the stream",
    `${ingest.worstInputDelayMs.toFixed(0)} ms (${ingest.clicks} clicks)`,
    "< 100 ms",
  );
} finally {
  await Promise.all([server.close(), bare.close()]);
}

const widths = [0, 1, 2].map((column) => Math.max(...rows.map((r) => r[column]?.length ?? 0), 6));
const line = (cells: string[]) =>
  `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(" | ")} |`;
console.log(line(["measure", "value", "target"]));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
