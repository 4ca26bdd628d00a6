/**
 * `npm run bench`: the performance targets, measured side by side in one run and printed as
 * a table. Everything talks to 127.0.0.1 and stops by itself.
 *
 *   --quick   fewer messages (a smoke run, not for reporting)
 */
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
  // (a) echo throughput, the three servers interleaved round by round so drift hits all alike.
  const echo = { messages: quick ? 5_000 : 40_000, size: 64, window: 64 };
  const rounds = quick ? 2 : 5;
  const results: Record<"bare" | "off" | "on", number[]> = { bare: [], off: [], on: [] };
  let tapNumber = 0;
  console.error(
    `echo throughput: ${rounds} rounds of ${echo.messages} messages of ${echo.size} B, ${echo.window} in flight`,
  );
  await measureEcho(`${bare.url}/`, { ...echo, messages: 2_000 }); // warm-up
  await measureEcho(`${wsBase}/echo`, { ...echo, messages: 2_000 });
  for (let round = 0; round < rounds; round += 1) {
    results.bare.push((await measureEcho(`${bare.url}/`, echo)).messagesPerSecond);
    results.off.push((await measureEcho(`${wsBase}/echo`, echo)).messagesPerSecond);
    tapNumber += 1;
    results.on.push(
      (await measureEcho(`${wsBase}/echo?tap=bench-tap-${tapNumber}`, echo)).messagesPerSecond,
    );
  }
  const median = (list: number[]) =>
    [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  const [bareRate, offRate, onRate] = [
    median(results.bare),
    median(results.off),
    median(results.on),
  ];
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} msg/s`;
  row("echo: bare ws server", rate(bareRate));
  row("echo: playground, tap off", rate(offRate));
  row("echo: playground, tap on", rate(onRate));
  row("ratio tap off ÷ bare ws", (offRate / bareRate).toFixed(3));
  row("ratio tap on ÷ bare ws", (onRate / bareRate).toFixed(3), "≥ 0.90");

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
  row("browser: longest main-thread task", `${ingest.longestTaskMs.toFixed(0)} ms`, "< 100 ms");
  row("browser: JS heap at the end", `${ingest.heapMiB.toFixed(1)} MiB`, "< 150 MiB");
  row("browser: JS heap after GC", `${ingest.heapAfterGcMiB.toFixed(1)} MiB`);
  row("browser: DOM elements", String(ingest.domElements), "< 2,000");
  row("browser: slowest click during the stream", `${ingest.slowestClickMs.toFixed(0)} ms`);
} finally {
  await Promise.all([server.close(), bare.close()]);
}

const widths = [0, 1, 2].map((column) => Math.max(...rows.map((r) => r[column]?.length ?? 0), 6));
const line = (cells: string[]) =>
  `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(" | ")} |`;
console.log(line(["measure", "value", "target"]));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
