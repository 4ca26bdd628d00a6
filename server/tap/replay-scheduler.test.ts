import { describe, expect, it } from "vitest";
import { type ReplayJob, ReplayScheduler, type StepCost } from "./replay-scheduler.ts";

/** A job that sends `steps` pieces of `cost`, noting which turn each went out in. */
function job(name: string, steps: number, cost: StepCost, log: [string, number][]) {
  let left = steps;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const replayJob: ReplayJob & { scheduler?: ReplayScheduler } = {
    step() {
      if (left === 0) {
        finish();
        return undefined;
      }
      left -= 1;
      log.push([name, replayJob.scheduler?.turns ?? -1]);
      return cost;
    },
  };
  return { replayJob, done };
}

describe("ReplayScheduler", () => {
  it("serves the queued jobs one step each in turn, and ends a turn once its budget is spent", async () => {
    const scheduler = new ReplayScheduler({ eventsPerTurn: 10, bytesPerTurn: 1_000_000 });
    const log: [string, number][] = [];
    const jobs = ["a", "b", "c"].map((name) => job(name, 4, { events: 4, bytes: 10 }, log));
    for (const { replayJob } of jobs) {
      replayJob.scheduler = scheduler;
      scheduler.wake(replayJob);
    }
    await Promise.all(jobs.map(({ done }) => done));
    // 4 + 4 + 4 events reach the budget of 10: three steps a turn, the last one over it.
    expect(log).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 1],
      ["a", 2],
      ["b", 2],
      ["c", 2],
      ["a", 3],
      ["b", 3],
      ["c", 3],
      ["a", 4],
      ["b", 4],
      ["c", 4],
    ]);
    expect(scheduler.queued).toBe(0);
  });

  it("counts bytes too: a turn of large steps ends before its events are spent", async () => {
    const scheduler = new ReplayScheduler({ eventsPerTurn: 1000, bytesPerTurn: 100 });
    const log: [string, number][] = [];
    const big = job("big", 3, { events: 1, bytes: 100 }, log);
    big.replayJob.scheduler = scheduler;
    scheduler.wake(big.replayJob);
    await big.done;
    expect(log).toEqual([
      ["big", 1],
      ["big", 2],
      ["big", 3],
    ]);
  });

  it("wakes a queued job once, and forgets a cancelled one", async () => {
    const scheduler = new ReplayScheduler({ eventsPerTurn: 10, bytesPerTurn: 1000 });
    const log: [string, number][] = [];
    const kept = job("kept", 1, { events: 1, bytes: 1 }, log);
    const cancelled = job("cancelled", 1, { events: 1, bytes: 1 }, log);
    scheduler.wake(kept.replayJob);
    scheduler.wake(kept.replayJob);
    scheduler.wake(cancelled.replayJob);
    scheduler.cancel(cancelled.replayJob);
    await kept.done;
    expect(log.map(([name]) => name)).toEqual(["kept"]);
  });
});
