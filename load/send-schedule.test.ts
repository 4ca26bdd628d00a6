import { describe, expect, it } from "vitest";
import { SendSchedule } from "./send-schedule.ts";

/** A deterministic stand-in for Math.random. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("SendSchedule", () => {
  it("holds clients × rate × seconds sends, each client rate × seconds of them", () => {
    const schedule = SendSchedule.random(100, 5, 10, seeded(1));
    expect(schedule.length).toBe(5000);
    const perClient = new Map<number, number>();
    for (let position = 0; position < schedule.length; position += 1) {
      const client = schedule.clientAt(position);
      perClient.set(client, (perClient.get(client) ?? 0) + 1);
    }
    expect(perClient.size).toBe(100);
    expect([...perClient.values()].every((count) => count === 50)).toBe(true);
  });

  it("is ordered by due time and ends within the run", () => {
    const schedule = SendSchedule.random(50, 5, 2, seeded(2));
    for (let position = 1; position < schedule.length; position += 1) {
      expect(schedule.dueAt(position)).toBeGreaterThanOrEqual(schedule.dueAt(position - 1));
    }
    expect(schedule.dueAt(0)).toBeGreaterThanOrEqual(0);
    expect(schedule.dueAt(schedule.length - 1)).toBeLessThan(2000);
  });

  it("spaces each client's sends one period apart", () => {
    const schedule = SendSchedule.random(20, 4, 3, seeded(3));
    const times = new Map<number, number[]>();
    for (let position = 0; position < schedule.length; position += 1) {
      const client = schedule.clientAt(position);
      times.set(client, [...(times.get(client) ?? []), schedule.dueAt(position)]);
    }
    for (const series of times.values()) {
      for (let k = 1; k < series.length; k += 1) {
        expect((series[k] ?? 0) - (series[k - 1] ?? 0)).toBeCloseTo(250, 9);
      }
    }
  });

  it("spreads 1,000 clients at 5 msg/s into a steady flow: no 10 ms slice far above its share", () => {
    const schedule = SendSchedule.random(1000, 5, 1, seeded(4));
    const slices = new Array<number>(100).fill(0);
    for (let position = 0; position < schedule.length; position += 1) {
      const slice = Math.floor(schedule.dueAt(position) / 10);
      slices[slice] = (slices[slice] ?? 0) + 1;
    }
    // 50 per 10 ms on average; a burst (every client at once) would put 1,000 in one slice.
    expect(Math.max(...slices)).toBeLessThan(100);
  });
});
