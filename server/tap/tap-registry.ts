import { TapRecord } from "./tap-record.ts";

/** Finished taps are forgotten after this long without activity or subscribers. */
const IDLE_TTL_MS = 10 * 60 * 1000;
/** At most this many taps are kept; the longest idle finished ones go first. */
const MAX_TAPS = 64;

/** Every tap id seen recently, and the inspectors waiting for one to appear. */
export class TapRegistry {
  readonly #records = new Map<string, TapRecord>();
  readonly #waiters = new Map<string, Set<(record: TapRecord) => void>>();

  /** The record for `id`, created if new; inspectors waiting for it are handed it. */
  open(id: string): TapRecord {
    let record = this.#records.get(id);
    if (!record) {
      this.#sweep();
      record = new TapRecord(id);
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

  #sweep(): void {
    const now = Date.now();
    const idle = [...this.#records.values()]
      .filter((record) => record.live === 0 && record.subscriberCount === 0)
      .sort((a, b) => a.lastActivity - b.lastActivity);
    for (const record of idle) {
      if (now - record.lastActivity > IDLE_TTL_MS || this.#records.size >= MAX_TAPS) {
        this.#records.delete(record.id);
      }
    }
  }
}
