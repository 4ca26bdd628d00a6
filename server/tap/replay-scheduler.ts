/**
 * One budget of inspector work per turn of the event loop, shared by every inspector of every
 * tap. Each inspector alone already sends in bounded steps (one encoded chunk at a time), but
 * 32 of them replaying in the same turn would add up to hundreds of milliseconds in which
 * nothing else (not even `/api/health`) is answered. Here the inspectors with something to
 * send wait in one queue, are served one chunk each in turn (round-robin), and the turn ends
 * once the budget is spent; the rest goes on in the next turn (`setImmediate`), after the
 * event loop has polled the sockets of everyone else.
 */

/** Events sent, all inspectors together, before the turn is given back: 4 chunks of 512. */
export const REPLAY_EVENTS_PER_TURN = 2048;
/**
 * Bytes sent, all inspectors together, before the turn is given back: caps a turn of JSON
 * events with long previews (up to ~1 KB each), which cost by size more than by count.
 */
export const REPLAY_BYTES_PER_TURN = 1024 * 1024;

/** What one step of a job sent. */
export interface StepCost {
  events: number;
  bytes: number;
}

/** An inspector as the scheduler sees it. */
export interface ReplayJob {
  /**
   * Sends the next bounded piece (one chunk) and says what it cost; undefined when there was
   * nothing to send or it cannot send now (caught up, waiting for its socket to drain,
   * closed). A job that sent stays queued; one that did not is dropped until `wake`d again.
   */
  step(): StepCost | undefined;
}

export interface ReplayBudget {
  eventsPerTurn: number;
  bytesPerTurn: number;
}

export class ReplayScheduler {
  /** Jobs with something to send, in serving order: a Set keeps insertion order. */
  readonly #ready = new Set<ReplayJob>();
  readonly #budget: ReplayBudget;
  #scheduled = false;
  /** Turns run so far (for tests: how the work was spread). */
  turns = 0;

  constructor(
    budget: ReplayBudget = {
      eventsPerTurn: REPLAY_EVENTS_PER_TURN,
      bytesPerTurn: REPLAY_BYTES_PER_TURN,
    },
  ) {
    this.#budget = budget;
  }

  /** Queues `job` (a no-op when queued already) and makes sure a turn is coming. */
  wake(job: ReplayJob): void {
    this.#ready.add(job);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#turn());
  }

  /** Forgets `job` (its inspector closed). */
  cancel(job: ReplayJob): void {
    this.#ready.delete(job);
  }

  /** Jobs waiting to be served. */
  get queued(): number {
    return this.#ready.size;
  }

  #turn(): void {
    this.#scheduled = false;
    this.turns += 1;
    let events = 0;
    let bytes = 0;
    while (events < this.#budget.eventsPerTurn && bytes < this.#budget.bytesPerTurn) {
      const next = this.#ready.values().next();
      if (next.done) return;
      const job = next.value;
      // Taken off the front; put back at the end when it sent: round-robin.
      this.#ready.delete(job);
      const cost = job.step();
      if (!cost) continue;
      events += cost.events;
      bytes += cost.bytes;
      this.#ready.add(job);
    }
    if (this.#ready.size > 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#turn());
    }
  }
}

/**
 * The scheduler of this process: the budget is per event loop, so every server (and every tap
 * record) in the process shares it.
 */
export const sharedReplayScheduler = new ReplayScheduler();
