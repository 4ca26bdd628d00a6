/**
 * Event-loop delay as "how late a timer ran". Node's monitorEventLoopDelay records the whole
 * interval between its timer's runs, resolution included (an idle loop at 5 ms reads ~5 ms),
 * so the resolution is taken off here.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

/** Sampling period in ms: fine enough for a p99 against a 20 ms target, cheap enough to ignore. */
const RESOLUTION_MS = 5;

export class EventLoopDelay {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  enable(): void {
    this.#histogram.enable();
  }

  disable(): void {
    this.#histogram.disable();
  }

  reset(): void {
    this.#histogram.reset();
  }

  /** ms late at the 99th percentile; 0 when nothing was sampled. */
  p99Ms(): number {
    return this.#lateness(this.#histogram.count > 0 ? this.#histogram.percentile(99) : 0);
  }

  maxMs(): number {
    return this.#lateness(this.#histogram.count > 0 ? this.#histogram.max : 0);
  }

  #lateness(nanoseconds: number): number {
    return Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
  }
}
