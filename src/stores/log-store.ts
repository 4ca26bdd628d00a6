import { RingBuffer } from "../shared/ring-buffer.ts";

/** Enough for the SPEC's "at least 100,000 entries" per log. */
export const LOG_CAPACITY = 100_000;

type Schedule = (flush: () => void) => void;

const scheduleFrame: Schedule =
  typeof requestAnimationFrame === "function"
    ? (flush) => requestAnimationFrame(() => flush())
    : (flush) => setTimeout(flush, 16);

/**
 * A log that sockets append to outside React. Appends are O(1) into a ring buffer; listeners
 * hear at most once per animation frame however many entries arrived, so a stream of
 * thousands of messages a second costs React one render per frame, not one per message.
 */
export class LogStore<T> {
  readonly entries: RingBuffer<T>;
  #version = 0;
  #scheduled = false;
  readonly #listeners = new Set<() => void>();
  readonly #schedule: Schedule;
  readonly #isCounted: (entry: T) => boolean;
  #counted = 0;

  /**
   * @param isCounted which entries the headline count includes (e.g. messages, not events)
   */
  constructor(
    options: { capacity?: number; schedule?: Schedule; isCounted?: (entry: T) => boolean } = {},
  ) {
    this.entries = new RingBuffer<T>(options.capacity ?? LOG_CAPACITY);
    this.#schedule = options.schedule ?? scheduleFrame;
    this.#isCounted = options.isCounted ?? (() => true);
  }

  /** How many held entries `isCounted` accepts. */
  get counted(): number {
    return this.#counted;
  }

  push(entry: T): void {
    const evicted = this.entries.push(entry);
    if (this.#isCounted(entry)) this.#counted += 1;
    if (evicted !== undefined && this.#isCounted(evicted)) this.#counted -= 1;
    this.#changed();
  }

  clear(): void {
    this.entries.clear();
    this.#counted = 0;
    this.#changed();
  }

  /** A number that changes whenever the entries did (for `useSyncExternalStore`). */
  readonly getVersion = (): number => this.#version;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #changed(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.#version += 1;
      for (const listener of this.#listeners) listener();
    });
  }
}
