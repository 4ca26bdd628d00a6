/**
 * First page load: the longest main-thread task while a fresh browser context (empty cache)
 * loads the page, and how much JavaScript the built index.html loads at startup.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { CdpConnection } from "./cdp.ts";
import { openPage } from "./cdp.ts";
import { LONG_TASK_OBSERVER, longTasksSince, PAGE_READY } from "./page-scripts.ts";

export interface PageLoadResult {
  /** Longest task the Long Tasks API saw (it reports only tasks of 50 ms or more); 0 if none. */
  longTaskMs: number;
  /** Longest main-thread task in a Chromium trace of a second fresh load. */
  traced: TracedTask | undefined;
}

/** How long after the first card and its logs are in the DOM the load is still watched. */
const SETTLE_MS = 1000;

export async function measurePageLoad(
  cdp: CdpConnection,
  baseUrl: string,
  /** Trace a second load even when the Long Tasks API saw a task of 50 ms or more. */
  { alwaysTrace = false } = {},
): Promise<PageLoadResult> {
  const longTaskMs = await loadOnce(cdp, baseUrl, async (load) => load());
  // The Long Tasks API says nothing below 50 ms, so when it saw none, a trace of a second
  // fresh load gives the actual longest task (tracing itself makes tasks a little longer).
  const traced =
    longTaskMs > 0 && !alwaysTrace
      ? undefined
      : await loadOnce(cdp, baseUrl, (load) => traceLongestTask(cdp, baseUrl, load));
  return { longTaskMs, traced };
}

/** Loads the page in a fresh context; returns what `around` returns, or the Long Tasks figure. */
async function loadOnce<T>(
  cdp: CdpConnection,
  baseUrl: string,
  around: (load: () => Promise<number>) => Promise<T>,
): Promise<T> {
  const { page, close } = await openPage(cdp, { width: 1280, height: 800, network: false });
  try {
    await page.send("Page.addScriptToEvaluateOnNewDocument", { source: LONG_TASK_OBSERVER });
    return await around(async () => {
      await page.goto(`${baseUrl}/`);
      await page.waitFor(PAGE_READY, 15_000);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const { longest } = await page.evaluate<{ longest: number }>(longTasksSince(0));
      return longest;
    });
  } finally {
    await close();
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, where the trace has it: less than `dur` when the thread waited. */
  tdur?: number;
  args?: { name?: string; data?: { url?: string; processId?: number } };
}

export interface TracedTask {
  ms: number;
  /** The main thread's CPU time in it: far below `ms` when the machine made it wait. */
  cpuMs: number | undefined;
  /** The longest event inside it, e.g. "EvaluateScript 60 ms", to say what the task did. */
  inside: string;
}

/**
 * Runs `load` under a browser-wide trace; the longest task on the main thread of the renderer
 * that committed a page of `origin` (not the about:blank one the tab started with).
 */
async function traceLongestTask(
  cdp: CdpConnection,
  origin: string,
  load: () => Promise<unknown>,
): Promise<TracedTask> {
  const events: TraceEvent[] = [];
  const stopCollecting = cdp.on("Tracing.dataCollected", (params) => {
    events.push(...(params.value as TraceEvent[]));
  });
  const complete = new Promise<void>((resolve) => {
    const stop = cdp.on("Tracing.tracingComplete", () => {
      stop();
      resolve();
    });
  });
  await cdp.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: {
      includedCategories: [
        "__metadata",
        "toplevel",
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
      ],
    },
  });
  try {
    await load();
  } finally {
    await cdp.send("Tracing.end");
    await complete;
    stopCollecting();
  }
  const pagePids = new Set(
    events
      .filter((e) => e.name === "FrameCommittedInBrowser" && e.args?.data?.url?.startsWith(origin))
      .map((e) => e.args?.data?.processId),
  );
  const rendererMain = new Set(
    events
      .filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .filter((e) => pagePids.size === 0 || pagePids.has(e.pid))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = (e: TraceEvent) => e.ph === "X" && rendererMain.has(`${e.pid}:${e.tid}`);
  const isTask = (e: TraceEvent) =>
    e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask";
  let longest: TraceEvent | undefined;
  for (const event of events) {
    if (onMain(event) && isTask(event) && (event.dur ?? 0) > (longest?.dur ?? 0)) longest = event;
  }
  if (!longest) return { ms: 0, cpuMs: undefined, inside: "" };
  const end = longest.ts + (longest.dur ?? 0);
  const inside = events
    .filter(
      (e) =>
        onMain(e) &&
        !isTask(e) &&
        e.pid === longest.pid &&
        e.tid === longest.tid &&
        e.ts >= longest.ts &&
        e.ts < end,
    )
    .sort((x, y) => (y.dur ?? 0) - (x.dur ?? 0))[0];
  return {
    ms: (longest.dur ?? 0) / 1000,
    cpuMs: longest.tdur === undefined ? undefined : longest.tdur / 1000,
    inside:
      inside && (inside.dur ?? 0) >= 1000
        ? `${inside.name} ${((inside.dur ?? 0) / 1000).toFixed(0)} ms`
        : "",
  };
}

/**
 * The JavaScript index.html loads at startup: its script tags and modulepreload links, each
 * gzipped at level 9, summed, in kB (1,000 bytes, as Vite prints them).
 */
export function initialJsKb(staticDir: string): { kb: number; files: string[] } {
  const html = readFileSync(join(staticDir, "index.html"), "utf8");
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const isScript = /^<script/i.test(tag);
    const isPreload = /\brel=["']?modulepreload["']?/i.test(tag);
    const source = /\b(?:src|href)=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (!(isScript || isPreload) || !source || /^[a-z]+:\/\//i.test(source)) continue;
    files.add(source.replace(/^\//, "").split(/[?#]/)[0] ?? source);
  }
  let bytes = 0;
  for (const file of files) {
    bytes += gzipSync(readFileSync(join(staticDir, file)), { level: 9 }).length;
  }
  return { kb: bytes / 1000, files: [...files] };
}
