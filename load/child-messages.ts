/**
 * What crosses between `run.ts` and its children. Types only.
 *
 * Server process: one JSON line on stdout when listening (`ServerReady`), then one JSON line
 * (`ServerSample`) for each line the parent writes on its stdin.
 * Client process: IPC messages, parent → child `ToClient`, child → parent `FromClient`.
 */
import type { HistogramSnapshot } from "./latency-histogram.ts";

export interface ServerReady {
  url: string;
  pid: number;
}

export interface ServerSample {
  /** Resident set size, bytes. */
  rss: number;
  heapUsed: number;
  /** Event-loop delay since the previous sample, ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Event-loop delay since the last `mark` line, ms (0 before any). */
  sinceMarkDelayP99Ms: number;
  sinceMarkDelayMaxMs: number;
  /** CPU time since start (user + system), µs. */
  cpuMicros: number;
}

export interface ClientConfig {
  /** ws:// URL of /echo, without a query. */
  url: string;
  /** Clients this process opens. */
  clients: number;
  /** Index of this process's first client among all, for tap ids unique across processes. */
  firstClient: number;
  /** Tap id prefix; each client appends its index. Null: tap off. */
  tapPrefix: string | null;
  ratePerSecond: number;
  seconds: number;
  bytes: number;
  graceMs: number;
}

export type ToClient =
  | { type: "open"; config: ClientConfig }
  /** Start the send schedule now. */
  | { type: "go" }
  /** Report what happened since the previous progress (soak). */
  | { type: "progress" }
  /** Close every client (1000) and exit. */
  | { type: "close" };

export interface ClientProgress {
  type: "progress";
  sent: number;
  echoed: number;
  open: number;
  /** Round trips since the previous progress. */
  rtt: HistogramSnapshot;
  eventLoopDelayP99Ms: number;
}

export interface ClientDone {
  type: "done";
  sent: number;
  echoed: number;
  /** Clients still open at the end of the grace period. */
  open: number;
  /** Closes the client did not ask for, by `code reason`. */
  unexpectedCloses: Record<string, number>;
  /** Whole run's round trips. */
  rtt: HistogramSnapshot;
  /** Over the send phase and grace, ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** CPU time over the send phase and grace, µs, and that phase's wall time, ms. */
  cpuMicros: number;
  wallMs: number;
  /** How late the dispatcher sent, at worst, against the schedule, ms. */
  maxSendLagMs: number;
}

export type FromClient =
  | {
      type: "opened";
      opened: number;
      failed: number;
      /** Failures by reason (`HTTP 503`, `ECONNRESET`, `timeout`…). */
      failures: Record<string, number>;
      openMs: number;
    }
  | ClientProgress
  | ClientDone
  | { type: "closed" };
