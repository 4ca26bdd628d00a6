/**
 * Chromium ingesting `/stream?count=N&rate=R&size=64` on the first card with both logs in
 * view: when the message log shows every message and the frame log every frame (N data
 * frames + the 2 close frames), how many frames the page did not show, the longest
 * main-thread task, the JS heap and the DOM size at the end, and the input delay of clicks
 * made meanwhile (the page must stay usable).
 *
 * Times are taken inside the page (performance.now()) against the data socket's close event:
 * "stream end" is the moment the page's JavaScript had the last message. The same times from
 * the socket's open event are kept as well.
 */
import type { CdpConnection, CdpPage } from "./cdp.ts";
import { openPage } from "./cdp.ts";
import {
  countWatcher,
  LONG_TASK_OBSERVER,
  longTasksSince,
  PAGE_READY,
  SOCKET_CLOCK,
} from "./page-scripts.ts";

export interface IngestOptions {
  baseUrl: string;
  count: number;
  rate: number;
  /** Turn on CDP's Network domain on the page, as Playwright does (every frame is reported). */
  network: boolean;
  /** A count that has not changed for this long is recorded as a shortfall. Default 10 s. */
  stallMs?: number;
}

interface CountState {
  text: string | null;
  held: number | null;
  notShown: number;
  changedAt: number | null;
  allShownAt: number | null;
  expected: number;
}

export interface LogResult {
  expected: number;
  /** What the count said at the end, verbatim. */
  text: string;
  held: number;
  notShown: number;
  /** Seconds after the stream's end (the data socket's close event) until all were shown. */
  afterEnd: number | undefined;
  /** Seconds after the data socket's open event until all were shown. */
  afterOpen: number | undefined;
  /** True when the count stopped changing short of `expected`. */
  stalled: boolean;
}

export interface IngestResult {
  messages: LogResult;
  frames: LogResult;
  /** Seconds the stream took as the page saw it: open to close event. */
  streamSeconds: number | undefined;
  longestTaskMs: number;
  longTasks: number;
  heapMiB: number;
  heapAfterGcMiB: number;
  domElements: number;
  bothLogsInView: boolean;
  /** What became of the page's inspector feed(s), e.g. "closed 1006 at +12.3 s", "open". */
  inspectFeed: string;
  clicks: number;
  worstInputDelayMs: number;
}

const VIEWPORT = { width: 1280, height: 1600 };

export async function measureBrowserIngest(
  cdp: CdpConnection,
  { baseUrl, count, rate, network, stallMs = 10_000 }: IngestOptions,
): Promise<IngestResult> {
  const { page, close } = await openPage(cdp, { ...VIEWPORT, network });
  try {
    await page.send("Emulation.setDeviceMetricsOverride", {
      ...VIEWPORT,
      deviceScaleFactor: 1,
      mobile: false,
    });
    for (const source of [LONG_TASK_OBSERVER, SOCKET_CLOCK]) {
      await page.send("Page.addScriptToEvaluateOnNewDocument", { source });
    }
    await page.goto(`${baseUrl}/`);
    await page.waitFor(PAGE_READY, 15_000);

    const streamUrl = `${baseUrl.replace(/^http/, "ws")}/stream?count=${count}&rate=${rate}&size=64`;
    await fillUrl(page, streamUrl);
    // The stream's parameters lengthen the card: grow the viewport until both logs are on
    // screen (as a person watching both would have them; off-screen rows are not painted).
    const logsBottom = await page.evaluate<number>(`(() => {
      const card = document.querySelector('[data-testid="connection-card"]');
      return Math.max(...["message-log", "frame-log"].map((id) =>
        card.querySelector('[data-testid="' + id + '"]')?.getBoundingClientRect().bottom ?? 0));
    })()`);
    if (logsBottom > VIEWPORT.height) {
      await page.send("Emulation.setDeviceMetricsOverride", {
        ...VIEWPORT,
        height: Math.min(Math.ceil(logsBottom) + 40, 4000),
        deviceScaleFactor: 1,
        mobile: false,
      });
    }
    const bothLogsInView = await page.evaluate<boolean>(`(() => {
      const card = document.querySelector('[data-testid="connection-card"]');
      return ["message-log", "frame-log"].every((id) => {
        const box = card.querySelector('[data-testid="' + id + '"]')?.getBoundingClientRect();
        return box !== undefined && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
      });
    })()`);
    const hexToggle = await page.evaluate<{ x: number; y: number } | null>(`(() => {
      const card = document.querySelector('[data-testid="connection-card"]');
      // The frame log's preview toggle ("Hex", "Hex preview"…): a checkbox labelled Hex….
      const label = [...card.querySelectorAll("label")].find(
        (l) => /^Hex\\b/.test(l.textContent.trim()) && l.querySelector('input[type="checkbox"]'));
      if (!label) return null;
      const box = label.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    })()`);
    // Only what happens from here on counts.
    await page.evaluate(countWatcher({ message: count, frame: count + 2 }));
    const since = await page.evaluate<number>("performance.now()");
    await page.evaluate(`(() => {
      const card = document.querySelector('[data-testid="connection-card"]');
      const button = [...card.querySelectorAll("button")].find((b) => b.textContent.trim() === "Connect");
      if (!button) throw new Error("no Connect button in the first card");
      button.click();
    })()`);

    // Follow the page from the driver every 250 ms (one evaluate each: per poll, not per
    // frame), clicking the frame log's Hex toggle each time as a person would.
    const nominalMs = (count / rate) * 1000;
    const deadline = performance.now() + nominalMs + 180_000;
    let state = await readState(page);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (hexToggle) await click(page, hexToggle);
      state = await readState(page);
      const logs = [state.counts.message, state.counts.frame];
      const complete = logs.every((log) => (log.held ?? 0) + log.notShown >= log.expected);
      if (complete && state.dataSocket?.close != null) break;
      const lastChange = Math.max(
        ...logs.map((log) => log.changedAt ?? 0),
        state.dataSocket?.open ?? 0,
      );
      if (state.dataSocket?.close != null && state.now - lastChange > stallMs) break;
      if (state.dataSocket?.open == null && state.now - state.connectedAt > 30_000) {
        throw new Error(`the stream did not open: ${state.counts.message.text}`);
      }
      if (performance.now() > deadline) break;
    }

    // Long tasks first: the forced GC below may itself be one.
    const tasks = await page.evaluate<{ longest: number; count: number }>(longTasksSince(since));
    const extra = await page.evaluate<{ dom: number; delays: number[] }>(
      `({ dom: document.getElementsByTagName("*").length, delays: window.__bench.inputDelays })`,
    );
    const { usedSize } = await page.send("Runtime.getHeapUsage");
    await page.send("HeapProfiler.collectGarbage");
    const afterGc = await page.send("Runtime.getHeapUsage");
    const open = state.dataSocket?.open ?? undefined;
    const end = state.dataSocket?.close ?? undefined;
    const log = (counted: CountState): LogResult => {
      const held = counted.held ?? 0;
      return {
        expected: counted.expected,
        text: counted.text ?? "",
        held,
        notShown: counted.notShown,
        afterEnd:
          counted.allShownAt !== null && end !== undefined
            ? (counted.allShownAt - end) / 1000
            : undefined,
        afterOpen:
          counted.allShownAt !== null && open !== undefined
            ? (counted.allShownAt - open) / 1000
            : undefined,
        stalled: held + counted.notShown < counted.expected,
      };
    };
    return {
      messages: log(state.counts.message),
      frames: log(state.counts.frame),
      streamSeconds: open !== undefined && end !== undefined ? (end - open) / 1000 : undefined,
      longestTaskMs: tasks.longest,
      longTasks: tasks.count,
      heapMiB: usedSize / 2 ** 20,
      heapAfterGcMiB: afterGc.usedSize / 2 ** 20,
      domElements: extra.dom,
      bothLogsInView,
      inspectFeed:
        state.inspectSockets
          .map((socket) =>
            socket.close === null
              ? "open at the end"
              : `closed ${socket.code}${socket.reason ? ` "${socket.reason}"` : ""} at +${fixedSeconds(socket.close - (open ?? socket.close))} s after the stream opened`,
          )
          .join("; ") || "none seen",
      clicks: extra.delays.length,
      worstInputDelayMs: Math.max(0, ...extra.delays),
    };
  } finally {
    await close();
  }
}

interface PageState {
  now: number;
  connectedAt: number;
  counts: { message: CountState; frame: CountState };
  dataSocket: SocketRecord | undefined;
  /** The page's frame inspector feeds (`/inspect?tap=…`), for a shortfall's diagnosis. */
  inspectSockets: SocketRecord[];
}

interface SocketRecord {
  url: string;
  open: number | null;
  close: number | null;
  code: number | null;
  reason: string;
}

function readState(page: CdpPage): Promise<PageState> {
  return page.evaluate<PageState>(`(() => {
    const bench = window.__bench;
    bench.connectedAt ??= performance.now();
    return {
      now: performance.now(),
      connectedAt: bench.connectedAt,
      counts: bench.counts,
      dataSocket: bench.sockets.find((s) => s.url.includes("/stream?")),
      inspectSockets: bench.sockets.filter((s) => s.url.includes("/inspect")),
    };
  })()`);
}

/** Types the URL as a person would: focus, select all, insert (React sees input events). */
async function fillUrl(page: CdpPage, url: string): Promise<void> {
  await page.evaluate(`(() => {
    const card = document.querySelector('[data-testid="connection-card"]');
    const label = [...card.querySelectorAll("label")].find((l) => l.textContent.trim() === "URL");
    const input = label?.control ?? card.querySelector('input[type="text"]');
    input.focus();
    input.select();
  })()`);
  await page.send("Input.insertText", { text: url });
  const value = await page.evaluate<string>(`document.activeElement?.value`);
  if (value !== url) throw new Error(`the URL field holds ${value}, not ${url}`);
}

/** A real (trusted) click; CDP answers once the renderer has taken the input. */
async function click(page: CdpPage, at: { x: number; y: number }): Promise<void> {
  for (const type of ["mousePressed", "mouseReleased"]) {
    await page.send("Input.dispatchMouseEvent", { type, ...at, button: "left", clickCount: 1 });
  }
}

const fixedSeconds = (ms: number) => (ms / 1000).toFixed(1);
