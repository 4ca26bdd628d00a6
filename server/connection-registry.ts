import type { WebSocket } from "ws";
import { CloseCode } from "../src/protocol/close-codes.ts";
import { formatCount } from "../src/shared/format-count.ts";

/** Counters per endpoint, as `GET /api/stats` reports them. */
export interface EndpointStats {
  open: number;
  total: number;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
}

interface Tracked {
  path: string;
  alive: boolean;
}

/** Messages a connection may send per second, averaged over a second; 0: no limit. */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 0;
/**
 * Pongs owed to a peer that is not reading them (`ws` counts the same thing with its
 * `maxPendingAutoPongs`, but then terminates without a close frame).
 */
export const MAX_PENDING_PONGS = 60;

export interface RegistryOptions {
  /** Interval of the heartbeat pings; 0 turns them off. */
  heartbeatMs: number;
  /** Messages per second a connection may send before it is closed with 1008; 0: no limit. */
  maxMessagesPerSecond?: number;
}

/**
 * Every open raw WebSocket, for health and stats, heartbeats that find dead peers, and the
 * 1001 "going away" close on shutdown.
 */
export class ConnectionRegistry {
  readonly #sockets = new Map<WebSocket, Tracked>();
  readonly #stats = new Map<string, EndpointStats>();
  readonly #heartbeat: NodeJS.Timeout | undefined;
  readonly #maxMessagesPerSecond: number;

  constructor({
    heartbeatMs,
    maxMessagesPerSecond = DEFAULT_MAX_MESSAGES_PER_SECOND,
  }: RegistryOptions) {
    this.#maxMessagesPerSecond = maxMessagesPerSecond;
    if (heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => this.#beat(), heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  /** Tracks `ws` under `path` and returns that endpoint's counters, for its handler to count what it sends. */
  track(ws: WebSocket, path: string): EndpointStats {
    const tracked: Tracked = { path, alive: true };
    this.#sockets.set(ws, tracked);
    const stats = this.statsFor(path);
    stats.open += 1;
    stats.total += 1;
    ws.on("pong", () => {
      tracked.alive = true;
    });
    answerPings(ws);
    const overRate =
      this.#maxMessagesPerSecond > 0 ? rateGate(this.#maxMessagesPerSecond) : undefined;
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      stats.messagesIn += 1;
      stats.bytesIn += byteLength(data);
      if (overRate?.(performance.now()) && ws.readyState === ws.OPEN) {
        ws.close(
          CloseCode.PolicyViolation,
          `Over ${formatCount(this.#maxMessagesPerSecond)} messages/s: this server's per-connection limit`,
        );
      }
    });
    ws.once("close", () => {
      stats.open -= 1;
      this.#sockets.delete(ws);
    });
    return stats;
  }

  /**
   * The counters `/api/stats` reports for `path`, made on first use: for what counts its own
   * connections outside this registry (Socket.IO's Engine.IO sessions).
   */
  statsFor(path: string): EndpointStats {
    let stats = this.#stats.get(path);
    if (!stats) {
      stats = { open: 0, total: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
      this.#stats.set(path, stats);
    }
    return stats;
  }

  /** Raw WebSockets open now: the endpoints' and the inspectors'. */
  get size(): number {
    return this.#sockets.size;
  }

  snapshot(): Record<string, EndpointStats> {
    return Object.fromEntries([...this.#stats].map(([path, stats]) => [path, { ...stats }]));
  }

  /** Closes every socket with 1001 and resolves when all are gone (or forced after `graceMs`). */
  async closeAll(graceMs: number): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    const sockets = [...this.#sockets.keys()];
    const closed = sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          ws.once("close", () => resolve());
          ws.close(1001, "Server shutting down");
        }),
    );
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(closed), timer]);
    for (const ws of sockets) ws.terminate();
  }

  #beat(): void {
    for (const [ws, tracked] of this.#sockets) {
      if (!tracked.alive) {
        ws.terminate();
        continue;
      }
      tracked.alive = false;
      ws.ping();
    }
  }
}

/** Counts one message sent. */
export function countOut(stats: EndpointStats, bytes: number): void {
  stats.messagesOut += 1;
  stats.bytesOut += bytes;
}

export function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

/**
 * A token bucket of `perSecond` tokens, refilled continuously: bursts of up to a second's
 * worth pass, a sustained rate above it does not. Returns whether a message at `now` (ms) is
 * over the limit.
 */
export function rateGate(perSecond: number): (now: number) => boolean {
  let tokens = perSecond;
  let last: number | undefined;
  return (now) => {
    if (last !== undefined)
      tokens = Math.min(perSecond, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    tokens -= 1;
    return tokens < 0;
  };
}

/**
 * Answers every ping with a pong of the same payload, as `ws` would (its automatic pongs are
 * off): a peer that pings without reading the pongs is closed with 1008 and a reason once
 * MAX_PENDING_PONGS are unsent, instead of `ws`'s terminate without a close frame.
 */
function answerPings(ws: WebSocket): void {
  let pending = 0;
  ws.on("ping", (data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (pending >= MAX_PENDING_PONGS) {
      ws.close(
        CloseCode.PolicyViolation,
        `${MAX_PENDING_PONGS} pongs unread: pings come faster than this peer reads`,
      );
      return;
    }
    pending += 1;
    ws.pong(data, undefined, () => {
      pending -= 1;
    });
  });
}
