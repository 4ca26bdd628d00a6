/**
 * `npm run bench`: the performance targets, measured side by side in one run and printed as
 * one table (measure | value | target). Everything talks to 127.0.0.1 and stops by itself;
 * every process it starts is stopped by its PID, also on errors.
 *
 *   --static-dir DIR  the built page to serve (default dist/app), e.g. a private
 *                     `npx vite build --outDir DIR` so a bench never touches a shared dist/
 *   --quick           fewer messages and rounds (a smoke run, not for reporting)
 *   --runs N          repeat the browser ingest N times; each run and the range are printed
 *   --contended       keep one core busy with unrelated work during the browser rows
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_STATIC_DIR } from "../server/index.ts";
import { type IngestResult, measureBrowserIngest } from "./browser-ingest.ts";
import { startNodeChild } from "./child-process.ts";
import { launchChromium } from "./chromium.ts";
import { measureCompression } from "./compression.ts";
import { startSpinner, withIdle } from "./contention.ts";
import { median, pairedRatio, runEchoRounds } from "./echo-throughput.ts";
import { counted, fixed, formatTable, ingestRows, type Row } from "./ingest-rows.ts";
import { initialJsKb, measurePageLoad } from "./page-load.ts";
import { measureParser } from "./parser-speed.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    contended: { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    "static-dir": { type: "string" },
  },
});
const quick = values.quick;
const contended = values.contended;
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs wants a whole number ≥ 1, not ${values.runs}`);
const staticDir = resolve(values["static-dir"] ?? DEFAULT_STATIC_DIR);
if (!existsSync(join(staticDir, "index.html"))) {
  throw new Error(`${staticDir} holds no built page: npx vite build --outDir ${staticDir}`);
}

const rows: Row[] = [];
const row = (what: string, value: string, target = "") => {
  rows.push([what, value, target]);
  console.error(`  ${what}: ${value}`);
};

type ServerReady = { url: string; pid: number };
const script = (name: string) => new URL(`./${name}`, import.meta.url);
const server = await startNodeChild<ServerReady>(script("server-process.ts"), [
  "--static-dir",
  staticDir,
]);
const bare = await startNodeChild<ServerReady>(script("bare-echo-process.ts"), []);
console.error(
  `playground server pid ${server.pid} at ${server.ready.url}; bare ws pid ${bare.pid}`,
);
let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
let spinner: ReturnType<typeof startSpinner> | undefined;

try {
  // (a) Echo throughput: bare ws vs playground tap off vs tap on, each server its own process.
  const echo = { messages: quick ? 5_000 : 50_000, size: 64, window: 64, rounds: quick ? 3 : 15 };
  console.error(
    `echo throughput: ${echo.rounds} rounds of ${echo.messages} messages of ${echo.size} B, ${echo.window} in flight`,
  );
  const echoRounds = await runEchoRounds(
    {
      bare: { url: bare.ready.url, cpuMicros: bare.cpuMicros },
      playground: { url: server.ready.url, cpuMicros: server.cpuMicros },
    },
    echo,
  );
  await bare.stop();
  const rate = (key: "bare" | "off" | "on") =>
    `${counted(Math.round(median(echoRounds.rates[key])))} msg/s`;
  const spread = (list: number[]) =>
    `${counted(Math.round(Math.min(...list)))}–${counted(Math.round(Math.max(...list)))}`;
  row(
    "echo: bare ws server, own process (median)",
    `${rate("bare")} (rounds ${spread(echoRounds.rates.bare)})`,
  );
  row("echo: playground, tap off (median)", rate("off"));
  row("echo: playground, tap on (median)", rate("on"));
  row(
    "echo ratio tap off ÷ bare ws (median of paired rounds)",
    fixed(pairedRatio(echoRounds, "off"), 3),
  );
  row(
    "echo ratio tap on ÷ bare ws (median of paired rounds)",
    fixed(pairedRatio(echoRounds, "on"), 3),
    "≥ 0.90",
  );
  const cpu = (key: "bare" | "off" | "on") => fixed(median(echoRounds.cpuMicros[key]), 2);
  row(
    "server process CPU per round trip: bare / off / on",
    `${cpu("bare")} / ${cpu("off")} / ${cpu("on")} µs`,
  );

  // (b) Parser speed, in this process.
  row(
    "parser, 1 KiB masked frames",
    `${measureParser(quick ? 2_000 : 20_000, 1024).toFixed(0)} MB/s`,
  );
  row(
    "parser, 64 B masked frames",
    `${measureParser(quick ? 5_000 : 100_000, 64).toFixed(0)} MB/s`,
  );

  // (b2) permessage-deflate: ratio and throughput per payload kind, server memory per connection.
  for (const [what, value, target] of await measureCompression(server.ready.url, { quick })) {
    row(what, value, target);
  }

  // (c) The page's startup JavaScript, from the built files.
  const initial = initialJsKb(staticDir);
  row(
    `initial JS, gzip -9 (${initial.files.length} file${initial.files.length === 1 ? "" : "s"})`,
    `${initial.kb.toFixed(1)} kB`,
    "≤ 110 kB",
  );

  // (d) The browser rows, in a Chromium the bench starts and drives over plain CDP.
  if (contended) spinner = startSpinner();
  const browser = await launchChromium();
  chromium = browser;
  console.error(
    `${browser.version}${contended ? `, one core kept busy (spinner pid ${spinner?.pid})` : ""}`,
  );
  const idle = (percent: number) => `idle ${percent.toFixed(1)}%`;

  const load = await withIdle(() => measurePageLoad(browser.cdp, server.ready.url));
  const { longTaskMs, traced } = load.result;
  const tracedText = traced
    ? `; longest in a trace of a 2nd load ${fixed(traced.ms, 0)} ms (${[
        traced.cpuMs === undefined ? "" : `CPU ${fixed(traced.cpuMs, 0)} ms`,
        traced.inside,
      ]
        .filter(Boolean)
        .join("; ")})`
    : "";
  row(
    "first load: longest main-thread task",
    `${longTaskMs > 0 ? `${longTaskMs.toFixed(0)} ms (Long Tasks API)` : "none ≥ 50 ms (Long Tasks API)"}${tracedText} · ${idle(load.idlePercent)}`,
    "< 50 ms",
  );

  const count = quick ? 10_000 : 100_000;
  const streamRate = 10_000;
  const modes = [
    { network: false, label: "Network off" },
    { network: true, label: "Network on, as Playwright" },
  ];
  const results = new Map<boolean, { result: IngestResult; idlePercent: number }[]>(
    modes.map((mode) => [mode.network, []]),
  );
  for (let run = 0; run < runs; run += 1) {
    // Alternate which way goes first, so neither always runs on a warmer machine.
    for (const mode of run % 2 === 0 ? modes : [...modes].reverse()) {
      console.error(
        `browser ingest ${run + 1}/${runs} [${mode.label}]: /stream?count=${count}&rate=${streamRate}&size=64`,
      );
      const measured = await withIdle(() =>
        measureBrowserIngest(browser.cdp, {
          baseUrl: server.ready.url,
          count,
          rate: streamRate,
          network: mode.network,
        }),
      );
      results.get(mode.network)?.push(measured);
      console.error(`    ${JSON.stringify({ ...measured.result, idle: measured.idlePercent })}`);
    }
  }
  for (const mode of modes) {
    for (const [what, value, target] of ingestRows(results.get(mode.network) ?? [], {
      label: mode.label,
      count,
      contended,
    })) {
      row(what, value, target);
    }
  }
  if (contended) row("contention", "one core hashing SHA-256 in a loop during the browser rows");
} finally {
  await chromium?.close().catch(() => undefined);
  await spinner?.stop();
  await Promise.all([server.stop(), bare.stop()]);
}

console.log(formatTable(rows));
