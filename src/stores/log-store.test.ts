import { describe, expect, it } from "vitest";
import { LogStore } from "./log-store.ts";

describe("LogStore", () => {
  it("notifies once per scheduled flush however many entries arrive", () => {
    const pending: (() => void)[] = [];
    const store = new LogStore<number>({ capacity: 10, schedule: (flush) => pending.push(flush) });
    let notified = 0;
    store.subscribe(() => {
      notified += 1;
    });
    for (let value = 0; value < 1000; value += 1) store.push(value);
    expect(pending).toHaveLength(1);
    expect(notified).toBe(0);
    pending.shift()?.();
    expect(notified).toBe(1);
    expect(store.getVersion()).toBe(1);
    expect(store.entries.length).toBe(10);
    expect(store.entries.totalPushed).toBe(1000);
  });

  it("stops notifying after unsubscribe", () => {
    const pending: (() => void)[] = [];
    const store = new LogStore<number>({ capacity: 10, schedule: (flush) => pending.push(flush) });
    let notified = 0;
    const unsubscribe = store.subscribe(() => {
      notified += 1;
    });
    unsubscribe();
    store.push(1);
    pending.shift()?.();
    expect(notified).toBe(0);
  });

  it("counts only the entries it is told to, also as old ones are overwritten", () => {
    const store = new LogStore<number>({
      capacity: 4,
      schedule: () => {},
      isCounted: (value) => value % 2 === 0,
    });
    for (const value of [0, 1, 2, 3]) store.push(value);
    expect(store.counted).toBe(2);
    store.push(5);
    expect(store.counted).toBe(1);
    store.push(6);
    expect(store.entries.toArray()).toEqual([2, 3, 5, 6]);
    expect(store.counted).toBe(2);
    store.clear();
    expect(store.counted).toBe(0);
  });
});
