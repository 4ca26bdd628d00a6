import type { WebSocket } from "ws";

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

/**
 * Every open raw WebSocket, for health and stats, heartbeats that find dead peers, and the
 * 1001 "going away" close on shutdown.
 */
export class ConnectionRegistry {
  readonly #sockets = new Map<WebSocket, Tracked>();
  readonly #stats = new Map<string, EndpointStats>();
  readonly #heartbeat: NodeJS.Timeout | undefined;

  constructor(heartbeatMs: number) {
    if (heartbeatMs > 0) {
      this.#heartbeat = setInterval(() => this.#beat(), heartbeatMs);
      this.#heartbeat.unref();
    }
  }

  /** Tracks `ws` under `path` and returns that endpoint's counters, for its handler to count what it sends. */
  track(ws: WebSocket, path: string): EndpointStats {
    const tracked: Tracked = { path, alive: true };
    this.#sockets.set(ws, tracked);
    const stats = this.#statsFor(path);
    stats.open += 1;
    stats.total += 1;
    ws.on("pong", () => {
      tracked.alive = true;
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      stats.messagesIn += 1;
      stats.bytesIn += byteLength(data);
    });
    ws.once("close", () => {
      stats.open -= 1;
      this.#sockets.delete(ws);
    });
    return stats;
  }

  #statsFor(path: string): EndpointStats {
    let stats = this.#stats.get(path);
    if (!stats) {
      stats = { open: 0, total: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
      this.#stats.set(path, stats);
    }
    return stats;
  }

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
