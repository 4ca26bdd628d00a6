/**
 * When each client sends. Every client sends once per period (1000 / rate ms), offset by its
 * own random phase within that period, so N clients at M msg/s reach the server as a steady
 * flow of N × M msg/s rather than N messages at once every period.
 *
 * The sends of all clients form one sequence ordered by due time: period k, then clients in
 * order of their phase. A single dispatcher walks it, so there is one timer, not one a client.
 */
export class SendSchedule {
  readonly periodMs: number;
  readonly sendsPerClient: number;
  /** Client indices in order of their phase. */
  readonly #order: readonly number[];
  /** Phases in ms, in the same order as #order. */
  readonly #phases: readonly number[];

  /**
   * @param phasesMs each client's offset within the period, in [0, periodMs)
   */
  constructor(phasesMs: readonly number[], periodMs: number, sendsPerClient: number) {
    this.periodMs = periodMs;
    this.sendsPerClient = sendsPerClient;
    const order = phasesMs.map((_, index) => index);
    order.sort((a, b) => (phasesMs[a] ?? 0) - (phasesMs[b] ?? 0));
    this.#order = order;
    this.#phases = order.map((index) => phasesMs[index] ?? 0);
  }

  /** Clients `count`, phases drawn from `random` (Math.random unless a test gives its own). */
  static random(
    count: number,
    ratePerSecond: number,
    seconds: number,
    random: () => number = Math.random,
  ): SendSchedule {
    const periodMs = 1000 / ratePerSecond;
    const phases = Array.from({ length: count }, () => random() * periodMs);
    return new SendSchedule(phases, periodMs, Math.round(ratePerSecond * seconds));
  }

  /** Sends in the whole schedule. */
  get length(): number {
    return this.#order.length * this.sendsPerClient;
  }

  /** Due time of send `position`, in ms from the schedule's start. */
  dueAt(position: number): number {
    const clients = this.#order.length;
    const period = Math.floor(position / clients);
    return period * this.periodMs + (this.#phases[position % clients] ?? 0);
  }

  /** Client making send `position`. */
  clientAt(position: number): number {
    return this.#order[position % this.#order.length] ?? 0;
  }
}
