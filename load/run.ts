/**
 * `npm run load`: the companion server under a room full of clients. See `--help`
 * (load/load-options.ts) for the options and load/load-run.ts for what one run measures.
 */
import { availableParallelism, loadavg } from "node:os";
import { checkFdLimit, readOpenFilesLimit } from "./fd-limit.ts";
import { HELP, type LoadOptions, parseLoadArgs } from "./load-options.ts";
import { CONNECTION_HEADROOM, type IntervalReport, type RunResult, runLoad } from "./load-run.ts";
import { count, formatTable, mebibytes, milliseconds, percentChange } from "./report-table.ts";

/** Issue 7's targets. */
const TARGET_P99_MS = 20;
const TARGET_SOAK_GROWTH = 0.1;

/** Beyond the sending time, per tap mode, before the whole run counts as stuck. */
const RUN_SLACK_MS = 5 * 60_000;
/** CPU pressure above which the report warns that the machine was shared. */
const BUSY_PRESSURE = 0.2;

/** Nothing here may run forever: a run that overstays its schedule by far is stopped. */
function stopIfStillRunningAfter(ms: number): void {
  setTimeout(() => {
    process.stderr.write(
      `npm run load: still running after ${Math.round(ms / 60_000)} min; stopping.\n`,
    );
    process.exit(1);
  }, ms).unref();
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Says whether the processes may open enough sockets; false: the run must not start. */
function checkFileDescriptors(options: LoadOptions): boolean {
  const check = checkFdLimit(
    [
      { who: "the server process", sockets: options.clients + CONNECTION_HEADROOM },
      {
        who: options.clientProcesses > 1 ? "each client process" : "the client process",
        sockets: Math.ceil(options.clients / options.clientProcesses),
      },
    ],
    readOpenFilesLimit(),
  );
  say(check.message);
  return check.ok;
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0
    ? "none"
    : entries.map(([key, value]) => `${key} ×${value}`).join(", ");
}

function verdict(met: boolean): string {
  return met ? "✓ met" : "✗ missed";
}

function resultTable(results: RunResult[]): string {
  const cores = availableParallelism();
  const row = (label: string, cell: (result: RunResult) => string) => [label, ...results.map(cell)];
  const lost = (result: RunResult) => result.sent - result.echoed;
  return formatTable(
    ["", ...results.map((result) => `tap ${result.mode}`)],
    [
      row("clients opened", (r) => `${count(r.opened)} / ${count(r.clients)}`),
      row("failed to open", (r) => count(r.failed)),
      row("time to open all", (r) => milliseconds(r.openMs)),
      row("sent", (r) => count(r.sent)),
      row("echoed", (r) => count(r.echoed)),
      row("lost (after grace)", (r) => count(lost(r))),
      row("closed by the server", (r) =>
        count(Object.values(r.unexpectedCloses).reduce((a, b) => a + b, 0)),
      ),
      row("RTT p50", (r) => milliseconds(r.rtt.percentile(0.5) / 1000)),
      row("RTT p99", (r) => milliseconds(r.rtt.percentile(0.99) / 1000)),
      row("RTT max", (r) => milliseconds(r.rtt.maxMicros / 1000)),
      row("server RSS idle (before)", (r) => mebibytes(r.rssIdle)),
      row("server RSS all connected", (r) => mebibytes(r.rssConnected)),
      row("server RSS end of sends", (r) => mebibytes(r.rssLoaded)),
      row(
        "server RSS after close",
        (r) => `${mebibytes(r.rssAfter)}${r.drained ? "" : " (not drained)"}`,
      ),
      row("server event-loop delay p99", (r) => milliseconds(r.serverDelayP99Ms)),
      row("server event-loop delay max", (r) => milliseconds(r.serverDelayMaxMs)),
      row("server CPU (% of a core)", (r) => `${r.serverCpuPercent.toFixed(0)} %`),
      row("client event-loop delay p99", (r) => milliseconds(r.clientDelayP99Ms)),
      row("client event-loop delay max", (r) => milliseconds(r.clientDelayMaxMs)),
      row("client CPU (% of a core)", (r) => `${r.clientCpuPercent.toFixed(0)} %`),
      row("client send lag max", (r) => milliseconds(r.maxSendLagMs)),
      row(`machine CPU busy (all ${cores} cores)`, (r) =>
        r.machine ? `${(r.machine.busy * 100).toFixed(0)} %` : "–",
      ),
      row("other processes' CPU (% of a core)", (r) =>
        r.machine
          ? `${Math.max(0, r.machine.busy * cores * 100 - r.serverCpuPercent - r.clientCpuPercent).toFixed(0)} %`
          : "–",
      ),
      row("CPU pressure (time a task waited for a core)", (r) =>
        r.machine?.pressure === undefined ? "–" : `${(r.machine.pressure * 100).toFixed(0)} %`,
      ),
      row("target: all connected", (r) => verdict(r.failed === 0)),
      row("target: 0 lost", (r) => verdict(lost(r) === 0 && r.sent > 0)),
      row(`target: p99 RTT < ${TARGET_P99_MS} ms`, (r) =>
        verdict(r.rtt.percentile(0.99) / 1000 < TARGET_P99_MS),
      ),
    ],
  );
}

const INTERVAL_HEADER = [
  "at",
  "open",
  "sent",
  "echoed",
  "in flight",
  "RTT p99",
  "server RSS",
  "heap used",
  "tap bytes",
  "server ELD p99",
  "client ELD p99",
  "CPU pressure",
];
const INTERVAL_WIDTHS = [7, 6, 11, 11, 9, 9, 11, 10, 11, 14, 14, 12];

function intervalLine(cells: string[]): string {
  return cells.map((cell, index) => cell.padStart(INTERVAL_WIDTHS[index] ?? 0)).join("  ");
}

function intervalCells(report: IntervalReport): string[] {
  return [
    `${Math.round(report.atSeconds)} s`,
    count(report.open),
    count(report.sent),
    count(report.echoed),
    count(report.sent - report.echoed),
    milliseconds(report.rttP99Ms),
    mebibytes(report.rss),
    mebibytes(report.heapUsed),
    mebibytes(report.tapBytes),
    milliseconds(report.serverDelayP99Ms),
    milliseconds(report.clientDelayP99Ms),
    report.machine?.pressure === undefined
      ? "–"
      : `${(report.machine.pressure * 100).toFixed(0)} %`,
  ];
}

function soakSummary(result: RunResult): string {
  const first = result.intervals[0];
  const last = result.intervals.at(-1);
  if (!first || !last || result.intervals.length < 2) {
    return "RSS growth: needs at least two reports (a --duration longer than --interval).";
  }
  const growth = (last.rss - first.rss) / first.rss;
  return `Server RSS growth from the first report (${Math.round(first.atSeconds)} s, ${mebibytes(first.rss)}) to the end (${Math.round(last.atSeconds)} s, ${mebibytes(last.rss)}): ${percentChange(first.rss, last.rss)} — target within ${TARGET_SOAK_GROWTH * 100} %: ${verdict(growth <= TARGET_SOAK_GROWTH)}`;
}

async function main(): Promise<number> {
  const parsed = parseLoadArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`npm run load: ${parsed.message}\nTry: npm run load -- --help\n`);
    return 2;
  }
  const options = parsed.options;
  stopIfStillRunningAfter(options.tapModes.length * (options.seconds * 1000 + RUN_SLACK_MS));
  say(
    `${options.soak ? "Soak" : "Load"}: ${count(options.clients)} clients × ${options.rate} msg/s × ${count(options.seconds)} s against /echo on 127.0.0.1 (${count(options.clients * options.rate)} msg/s, ${options.bytes} B each), tap ${options.tapModes.join(" then ")}; ${options.clientProcesses} client process${options.clientProcesses > 1 ? "es" : ""}.`,
  );
  say(
    `Machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)} at start; server, clients and anything else running share them.`,
  );
  if (!checkFileDescriptors(options)) {
    process.stderr.write(
      "npm run load: not enough file descriptors for this run (see above); nothing started.\n",
    );
    return 1;
  }

  const results: RunResult[] = [];
  for (const mode of options.tapModes) {
    say();
    say(
      `── tap ${mode}: fresh server, opening ${count(options.clients)} clients, then sending for ${count(options.seconds)} s…`,
    );
    if (options.soak) say(intervalLine(INTERVAL_HEADER));
    const result = await runLoad(options, mode, (report) =>
      say(intervalLine(intervalCells(report))),
    );
    if (result.failed > 0) say(`   failed to open: ${describeCounts(result.failures)}`);
    if (Object.keys(result.unexpectedCloses).length > 0) {
      say(`   closed by the server: ${describeCounts(result.unexpectedCloses)}`);
    }
    if (options.soak) say(soakSummary(result));
    results.push(result);
  }
  say();
  say(resultTable(results));
  say();
  for (const result of results) {
    const pressure = result.machine?.pressure;
    if (pressure !== undefined && pressure > BUSY_PRESSURE) {
      say(
        `Note: tap ${result.mode} ran on a busy machine (some task waited for a core ${(pressure * 100).toFixed(0)} % of the time): its latencies are an upper bound, not the server's own.`,
      );
    }
  }
  say(
    "Reading it: CPU figures are % of one core. A client event-loop delay near the RTT p99 means the client process, not the server, set the round trips; a high CPU pressure or other processes' CPU means the machine was shared, and event-loop stalls may be waits for a core rather than work.",
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm run load: ${error.message}\n`);
    process.exit(1);
  },
);
