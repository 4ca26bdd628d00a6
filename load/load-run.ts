/**
 * One load run for one tap mode: a fresh server process, the client processes, and the
 * measures in the order they are taken — RSS idle, open everyone, RSS connected, send for S
 * seconds (+ grace), RSS loaded, close everyone, RSS after.
 */
import type { ClientDone, ClientProgress, ServerSample } from "./child-messages.ts";
import { ClientChild } from "./client-child.ts";
import { LatencyHistogram } from "./latency-histogram.ts";
import type { LoadOptions, TapMode } from "./load-options.ts";
import {
  type MachineLoad,
  type MachineSnapshot,
  machineLoadBetween,
  snapshotMachine,
} from "./machine-load.ts";
import { ServerChild } from "./server-child.ts";

/** Connections the server accepts beyond the run's clients, so its limit is never the cause. */
export const CONNECTION_HEADROOM = 100;
const OPEN_TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 15_000;
const DRAIN_TIMEOUT_MS = 10_000;
/** Beyond the schedule and the grace, before a client process counts as stuck. */
const DONE_SLACK_MS = 60_000;

export interface RunResult {
  mode: TapMode;
  clients: number;
  opened: number;
  failed: number;
  failures: Record<string, number>;
  openMs: number;
  sent: number;
  echoed: number;
  /** Clients still open at the end of the sends. */
  stillOpen: number;
  unexpectedCloses: Record<string, number>;
  rtt: LatencyHistogram;
  rssIdle: number;
  rssConnected: number;
  rssLoaded: number;
  rssAfter: number;
  /** Whether the server counted 0 connections before rssAfter was taken. */
  drained: boolean;
  serverDelayP99Ms: number;
  serverDelayMaxMs: number;
  /** Over the send phase, % of one core. */
  serverCpuPercent: number;
  clientDelayP99Ms: number;
  clientDelayMaxMs: number;
  /** All client processes together, % of one core. */
  clientCpuPercent: number;
  maxSendLagMs: number;
  /** The whole machine over the send phase; undefined off Linux. */
  machine: MachineLoad | undefined;
  /** Soak: one row per report. */
  intervals: IntervalReport[];
}

export interface IntervalReport {
  atSeconds: number;
  open: number;
  sent: number;
  echoed: number;
  /** Round trips within this interval only. */
  rttP99Ms: number;
  rss: number;
  /** Server's V8 heap in use: RSS growing while this holds still is native memory or fragmentation. */
  heapUsed: number;
  tapBytes: number;
  serverDelayP99Ms: number;
  clientDelayP99Ms: number;
  /** The whole machine over this interval; undefined off Linux. */
  machine: MachineLoad | undefined;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mergeCounts(records: Array<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const record of records) {
    for (const [key, count] of Object.entries(record)) merged[key] = (merged[key] ?? 0) + count;
  }
  return merged;
}

/** Tap ids must be unique per run and at least 16 characters (what issue 7 asks the server to require). */
function tapPrefix(mode: TapMode): string | null {
  return mode === "on" ? `load-${Date.now().toString(36)}-c` : null;
}

export async function runLoad(
  options: LoadOptions,
  mode: TapMode,
  onInterval?: (report: IntervalReport) => void,
): Promise<RunResult> {
  const server = await ServerChild.start(options.clients + CONNECTION_HEADROOM);
  const children: ClientChild[] = [];
  try {
    const idle = await server.sample();
    const share = Math.ceil(options.clients / options.clientProcesses);
    const prefix = tapPrefix(mode);
    const opening = [];
    for (let first = 0; first < options.clients; first += share) {
      const child = ClientChild.start();
      children.push(child);
      opening.push(
        child.open(
          {
            url: `${server.url.replace(/^http/, "ws")}/echo`,
            clients: Math.min(share, options.clients - first),
            firstClient: first,
            tapPrefix: prefix,
            ratePerSecond: options.rate,
            seconds: options.seconds,
            bytes: options.bytes,
            graceMs: options.graceMs,
          },
          OPEN_TIMEOUT_MS,
        ),
      );
    }
    const opened = await Promise.all(opening);
    const connected = await server.sample(true);

    const doneTimeout = options.seconds * 1000 + options.graceMs + DONE_SLACK_MS;
    const started = Date.now();
    const machineAtStart = snapshotMachine();
    /** The machine at the previous soak report, for each row's own figures. */
    const machineMark = { last: machineAtStart };
    const finishing = Promise.all(children.map((child) => child.go(doneTimeout)));
    const intervals: IntervalReport[] = [];
    const ticker = options.soak
      ? startIntervalReports(options, server, children, started, machineMark, (report) => {
          intervals.push(report);
          onInterval?.(report);
        })
      : undefined;
    let done: ClientDone[];
    try {
      done = await finishing;
    } finally {
      await ticker?.stop();
    }
    const machineAtEnd = snapshotMachine();
    const machine = machineLoadBetween(machineAtStart, machineAtEnd);
    const loaded = await server.sample();
    if (options.soak) {
      // The last row: what the clients saw since the previous one (they answer after `done`).
      const progress = await Promise.all(children.map((child) => child.progress(10_000)));
      const report = intervalReport(
        (Date.now() - started) / 1000,
        progress,
        loaded,
        (await server.stats()).tapBytes,
        machineLoadBetween(machineMark.last, machineAtEnd),
      );
      intervals.push(report);
      onInterval?.(report);
    }

    await Promise.all(children.map((child) => child.close(CLOSE_TIMEOUT_MS)));
    const drained = await server.drained(DRAIN_TIMEOUT_MS);
    const after = await server.sample();

    const rtt = new LatencyHistogram();
    for (const each of done) rtt.add(each.rtt);
    const sendWallMs = Math.max(...done.map((each) => each.wallMs));
    return {
      mode,
      clients: options.clients,
      opened: sum(opened.map((each) => each.opened)),
      failed: sum(opened.map((each) => each.failed)),
      failures: mergeCounts(opened.map((each) => each.failures)),
      openMs: Math.max(...opened.map((each) => each.openMs)),
      sent: sum(done.map((each) => each.sent)),
      echoed: sum(done.map((each) => each.echoed)),
      stillOpen: sum(done.map((each) => each.open)),
      unexpectedCloses: mergeCounts(done.map((each) => each.unexpectedCloses)),
      rtt,
      rssIdle: idle.rss,
      rssConnected: connected.rss,
      rssLoaded: loaded.rss,
      rssAfter: after.rss,
      drained,
      serverDelayP99Ms: loaded.sinceMarkDelayP99Ms,
      serverDelayMaxMs: loaded.sinceMarkDelayMaxMs,
      serverCpuPercent: ((loaded.cpuMicros - connected.cpuMicros) / 1000 / sendWallMs) * 100,
      clientDelayP99Ms: Math.max(...done.map((each) => each.eventLoopDelayP99Ms)),
      clientDelayMaxMs: Math.max(...done.map((each) => each.eventLoopDelayMaxMs)),
      clientCpuPercent: Math.max(
        ...done.map((each) => (each.cpuMicros / 1000 / each.wallMs) * 100),
      ),
      maxSendLagMs: Math.max(...done.map((each) => each.maxSendLagMs)),
      machine,
      intervals,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await server.stop();
  }
}

function intervalReport(
  atSeconds: number,
  progress: ClientProgress[],
  sample: ServerSample,
  tapBytes: number,
  machine: MachineLoad | undefined,
): IntervalReport {
  const rtt = new LatencyHistogram();
  for (const each of progress) rtt.add(each.rtt);
  return {
    atSeconds,
    open: sum(progress.map((each) => each.open)),
    sent: sum(progress.map((each) => each.sent)),
    echoed: sum(progress.map((each) => each.echoed)),
    rttP99Ms: rtt.percentile(0.99) / 1000,
    rss: sample.rss,
    heapUsed: sample.heapUsed,
    tapBytes,
    serverDelayP99Ms: sample.eventLoopDelayP99Ms,
    clientDelayP99Ms: Math.max(...progress.map((each) => each.eventLoopDelayP99Ms)),
    machine,
  };
}

/** Soak: every interval, each client process's progress and a server sample. */
function startIntervalReports(
  options: LoadOptions,
  server: ServerChild,
  children: ClientChild[],
  started: number,
  machineMark: { last: MachineSnapshot | undefined },
  report: (report: IntervalReport) => void,
): { stop(): Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    tick += 1;
    // The last interval is reported from the run's end, not from a tick racing it.
    if (tick * options.intervalSeconds >= options.seconds) return;
    timer = setTimeout(
      () => {
        pending = (async () => {
          const progress = await Promise.all(children.map((child) => child.progress(10_000)));
          const [sample, stats] = await Promise.all([server.sample(), server.stats()]);
          const machineNow = snapshotMachine();
          const machine = machineLoadBetween(machineMark.last, machineNow);
          machineMark.last = machineNow;
          report(
            intervalReport(
              (Date.now() - started) / 1000,
              progress,
              sample,
              stats.tapBytes,
              machine,
            ),
          );
        })();
        schedule();
      },
      started + tick * options.intervalSeconds * 1000 - Date.now(),
    );
  };
  schedule();
  return {
    stop: async () => {
      clearTimeout(timer);
      await pending;
    },
  };
}
