/**
 * What a log view reads, whatever keeps the rows: the message log's ring of objects or the
 * frame log's chunks of binary columns. Rows are addressed by absolute index (counted from
 * the log's start or its last clear), so a view can follow a log whose oldest rows are evicted.
 */
export interface LogSource<T> {
  /** Absolute index of the oldest row held. */
  readonly first: number;
  /** Absolute index one past the newest row. */
  readonly end: number;
  /** Changes on every clear: absolute indexes start again from 0. */
  readonly generation: number;
  /** The row at absolute `index`, or undefined when not held. */
  row(index: number): T | undefined;
  counts(): LogCounts;
  /** Whether a row is one the counts count (a message, a frame), not a section or notice. */
  isCounted(row: T): boolean;
  clear(): void;
  /** A number that changes whenever the rows did (for `useSyncExternalStore`). */
  readonly getVersion: () => number;
  readonly subscribe: (listener: () => void) => () => void;
}

/** The headline figures of a log: what arrived, what it no longer holds, what never came. */
export interface LogCounts {
  /** Counted items (messages, frames) that arrived since the last clear, held or not. */
  arrived: number;
  /** Of those, the oldest ones this page's log evicted to stay within `capacity`. */
  evicted: number;
  /** Rows this page's log keeps at most. */
  capacity: number;
  /** Items that never reached the page: the server announced it no longer held them. */
  lost: number;
  /** How many events the server holds per connection, as its last gap notice said. */
  serverKept: number;
}

/** Listeners hear at most this often: 10 renders a second read as live and leave the page idle. */
const MIN_NOTIFY_INTERVAL_MS = 100;

export type Schedule = (flush: () => void) => void;

/** Runs `flush` in an animation frame, no sooner than MIN_NOTIFY_INTERVAL_MS after the last. */
export function throttledFrame(): Schedule {
  let last = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const wait = Math.max(0, last + MIN_NOTIFY_INTERVAL_MS - performance.now());
    const run = () => {
      last = performance.now();
      flush();
    };
    const inFrame = () =>
      typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : run();
    if (wait === 0) inFrame();
    else setTimeout(inFrame, wait);
  };
}

/**
 * Tells listeners that something changed, at most once per scheduled flush however many
 * changes there were: a stream of thousands of rows a second costs React a few renders.
 */
export class ChangeNotifier {
  #version = 0;
  #scheduled = false;
  readonly #listeners = new Set<() => void>();
  readonly #schedule: Schedule;

  constructor(schedule: Schedule = throttledFrame()) {
    this.#schedule = schedule;
  }

  readonly getVersion = (): number => this.#version;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  changed(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.#version += 1;
      for (const listener of this.#listeners) listener();
    });
  }
}
