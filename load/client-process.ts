/**
 * Load clients in their own process: opens its share of the WebSocket clients on /echo, then
 * sends on the SendSchedule when told to go, measuring each echo's round trip from the send
 * time the message carries. Driven over IPC by `run.ts` (messages in child-messages.ts).
 *
 * It also watches its own event-loop delay: when that is high, the round trips measure this
 * process as much as the server, and the report says so.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { ClientConfig, ClientDone, FromClient, ToClient } from "./child-messages.ts";
import { EventLoopDelay } from "./event-loop-delay.ts";
import { LatencyHistogram } from "./latency-histogram.ts";
import { SendSchedule } from "./send-schedule.ts";

/** Handshakes in flight at once: more than the server's accept backlog invites SYN drops. */
const OPEN_CONCURRENCY = 100;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 5_000;
const GRACE_POLL_MS = 20;

interface Client {
  ws: WebSocket;
  /** True once this process has started closing it: its close is then expected. */
  closing: boolean;
}

const tell = (message: FromClient) => process.send?.(message);

const clients: Client[] = [];
const unexpectedCloses: Record<string, number> = {};
const rttTotal = new LatencyHistogram();
const rttInterval = new LatencyHistogram();
const delayInterval = new EventLoopDelay();
/** Over the whole send phase (ELD histograms cannot be added to one another). */
const delayTotal = new EventLoopDelay();
let sent = 0;
let echoed = 0;
let config: ClientConfig | undefined;

/** Why a handshake failed, in a few words that group well. */
function failureReason(error: Error & { code?: string }): string {
  const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
  if (status) return `HTTP ${status}`;
  if (/handshake has timed out/.test(error.message)) return "handshake timeout";
  return error.code ?? error.message;
}

function onEcho(data: WebSocket.RawData): void {
  const text = data.toString();
  const sentAt = Number(text.slice(0, text.indexOf(" ")));
  if (!Number.isFinite(sentAt)) return;
  const micros = (performance.now() - sentAt) * 1000;
  rttTotal.record(micros);
  rttInterval.record(micros);
  echoed += 1;
}

function openOne(url: string): Promise<Client | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    const client: Client = { ws, closing: false };
    ws.once("open", () => {
      ws.off("error", onOpenError);
      ws.on("error", () => {
        // Reported through the close that follows.
      });
      ws.on("message", onEcho);
      ws.once("close", (code, reason) => {
        if (client.closing) return;
        const key = `${code} ${reason.toString()}`.trim();
        unexpectedCloses[key] = (unexpectedCloses[key] ?? 0) + 1;
      });
      resolve(client);
    });
    const onOpenError = (error: Error) => resolve(failureReason(error));
    ws.once("error", onOpenError);
  });
}

async function openAll(settings: ClientConfig): Promise<void> {
  const started = performance.now();
  const failures: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < settings.clients) {
      const index = settings.firstClient + next;
      next += 1;
      const url =
        settings.tapPrefix === null
          ? settings.url
          : `${settings.url}?tap=${settings.tapPrefix}${index}`;
      const outcome = await openOne(url);
      if (typeof outcome === "string") failures[outcome] = (failures[outcome] ?? 0) + 1;
      else clients.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, settings.clients) }, worker));
  tell({
    type: "opened",
    opened: clients.length,
    failed: settings.clients - clients.length,
    failures,
    openMs: performance.now() - started,
  });
}

/** The message: its send time (ms, performance.now()) first, padded to the asked size. */
function message(sentAt: number, client: number, sequence: number, bytes: number): string {
  const head = `${sentAt.toFixed(3)} ${client} ${sequence} `;
  return head.length >= bytes ? head : head + "x".repeat(bytes - head.length);
}

function run(settings: ClientConfig): void {
  const schedule = SendSchedule.random(clients.length, settings.ratePerSecond, settings.seconds);
  const sequences = new Array<number>(clients.length).fill(0);
  const cpuAtStart = process.cpuUsage();
  let maxSendLagMs = 0;
  let cursor = 0;
  delayInterval.reset();
  delayInterval.enable();
  delayTotal.enable();
  const start = performance.now();

  const dispatch = () => {
    const elapsed = performance.now() - start;
    while (cursor < schedule.length && schedule.dueAt(cursor) <= elapsed) {
      maxSendLagMs = Math.max(maxSendLagMs, elapsed - schedule.dueAt(cursor));
      const index = schedule.clientAt(cursor);
      const client = clients[index];
      cursor += 1;
      if (client?.ws.readyState !== WebSocket.OPEN) continue;
      const sequence = sequences[index] ?? 0;
      sequences[index] = sequence + 1;
      client.ws.send(
        message(performance.now(), settings.firstClient + index, sequence, settings.bytes),
      );
      sent += 1;
    }
    if (cursor < schedule.length) {
      setTimeout(dispatch, Math.max(0, schedule.dueAt(cursor) - (performance.now() - start)));
    } else {
      awaitEchoes(performance.now());
    }
  };

  const awaitEchoes = (lastSend: number) => {
    if (echoed < sent && performance.now() - lastSend < settings.graceMs) {
      setTimeout(() => awaitEchoes(lastSend), GRACE_POLL_MS);
      return;
    }
    delayInterval.disable();
    delayTotal.disable();
    const cpu = process.cpuUsage(cpuAtStart);
    const done: ClientDone = {
      type: "done",
      sent,
      echoed,
      open: clients.filter((client) => client.ws.readyState === WebSocket.OPEN).length,
      unexpectedCloses,
      rtt: rttTotal.snapshot(),
      eventLoopDelayP99Ms: delayTotal.p99Ms(),
      eventLoopDelayMaxMs: delayTotal.maxMs(),
      cpuMicros: cpu.user + cpu.system,
      wallMs: performance.now() - start,
      maxSendLagMs,
    };
    tell(done);
  };

  setTimeout(dispatch, schedule.length > 0 ? schedule.dueAt(0) : 0);
}

function progress(): void {
  tell({
    type: "progress",
    sent,
    echoed,
    open: clients.filter((client) => client.ws.readyState === WebSocket.OPEN).length,
    rtt: rttInterval.snapshot(),
    eventLoopDelayP99Ms: delayInterval.p99Ms(),
  });
  rttInterval.reset();
  delayInterval.reset();
}

async function closeAll(): Promise<void> {
  const closes = clients.map(
    (client) =>
      new Promise<void>((resolve) => {
        client.closing = true;
        if (client.ws.readyState === WebSocket.CLOSED) return resolve();
        client.ws.once("close", () => resolve());
        client.ws.close(1000, "load run over");
      }),
  );
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
  await Promise.race([Promise.all(closes), timeout]);
  for (const client of clients) client.ws.terminate();
  // Exit once the parent has the message, not before it is written.
  process.send?.({ type: "closed" } satisfies FromClient, () => process.exit(0));
}

process.on("message", (received: ToClient) => {
  switch (received.type) {
    case "open":
      config = received.config;
      void openAll(received.config);
      return;
    case "go":
      if (config) run(config);
      return;
    case "progress":
      progress();
      return;
    case "close":
      void closeAll();
      return;
  }
});
// The parent's exit closes the IPC channel: never outlive the run.
process.on("disconnect", () => process.exit(0));
