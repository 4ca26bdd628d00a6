import type { TapMemoryBudget } from "./tap-event-log.ts";
import { TAP_EVENT_CAPACITY, TapRecord } from "./tap-record.ts";

/** Finished taps are forgotten after this long without activity or subscribers. */
const IDLE_TTL_MS = 10 * 60 * 1000;
/** At most this many finished taps are kept; the longest idle ones go first. */
const MAX_TAPS = 64;
/** Memory all taps' logs may hold together, by default (`ServerOptions.tapMemoryBytes`). */
export const DEFAULT_TAP_MEMORY_BYTES = 256 * 1024 * 1024;

/** Every tap id seen recently, and the inspectors waiting for one to appear. */
export class TapRegistry {
  readonly #records = new Map<string, TapRecord>();
  readonly #waiters = new Map<string, Set<(record: TapRecord) => void>>();
  readonly #limitBytes: number;
  #usedBytes = 0;
  /**
   * Shared by every tap's log. When it runs out, finished taps nobody watches are forgotten
   * to make room; failing that, the growing log wraps at the size it has.
   */
  readonly #budget: TapMemoryBudget = {
    reserve: (bytes, force = false) => {
      if (!force && this.#usedBytes + bytes > this.#limitBytes) this.#reclaim(bytes);
      if (!force && this.#usedBytes + bytes > this.#limitBytes) return false;
      this.#usedBytes += bytes;
      return true;
    },
    release: (bytes) => {
      this.#usedBytes -= bytes;
    },
  };

  constructor(limitBytes = DEFAULT_TAP_MEMORY_BYTES) {
    this.#limitBytes = limitBytes;
  }

  /** Bytes held by all taps' logs. */
  get usedBytes(): number {
    return this.#usedBytes;
  }

  get size(): number {
    return this.#records.size;
  }

  /** The record for `id`, if one exists. */
  get(id: string): TapRecord | undefined {
    return this.#records.get(id);
  }

  /** The record for `id`, created if new; inspectors waiting for it are handed it. */
  open(id: string): TapRecord {
    let record = this.#records.get(id);
    if (!record) {
      this.sweep();
      record = new TapRecord(id, TAP_EVENT_CAPACITY, this.#budget);
      this.#records.set(id, record);
    }
    const waiters = this.#waiters.get(id);
    if (waiters) {
      this.#waiters.delete(id);
      for (const resolve of waiters) resolve(record);
    }
    return record;
  }

  /** Resolves with the record once a connection with `id` appears, or undefined after `timeoutMs`. */
  waitFor(id: string, timeoutMs: number, signal?: AbortSignal): Promise<TapRecord | undefined> {
    const existing = this.#records.get(id);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(id) ?? new Set();
      this.#waiters.set(id, waiters);
      const done = (record: TapRecord | undefined) => {
        clearTimeout(timer);
        waiters.delete(finish);
        if (waiters.size === 0 && this.#waiters.get(id) === waiters) this.#waiters.delete(id);
        resolve(record);
      };
      const finish = (record: TapRecord) => done(record);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      timer.unref();
      waiters.add(finish);
      signal?.addEventListener("abort", () => done(undefined), { once: true });
    });
  }

  /** Forgets finished taps idle for IDLE_TTL_MS, and the oldest beyond MAX_TAPS. */
  sweep(): void {
    const now = Date.now();
    const finished = this.#finishedOldestFirst();
    let kept = finished.length;
    for (const record of finished) {
      if (now - record.lastActivity > IDLE_TTL_MS || kept > MAX_TAPS) {
        this.#forget(record);
        kept -= 1;
      }
    }
  }

  /** Forgets finished taps nobody watches, oldest first, until `bytes` more would fit. */
  #reclaim(bytes: number): void {
    for (const record of this.#finishedOldestFirst()) {
      if (this.#usedBytes + bytes <= this.#limitBytes) return;
      this.#forget(record);
    }
  }

  #finishedOldestFirst(): TapRecord[] {
    return [...this.#records.values()]
      .filter((record) => record.live === 0 && record.subscriberCount === 0)
      .sort((a, b) => a.lastActivity - b.lastActivity);
  }

  #forget(record: TapRecord): void {
    this.#records.delete(record.id);
    record.dispose();
  }
}
