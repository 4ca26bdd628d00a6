import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer.ts";

describe("RingBuffer", () => {
  it("keeps insertion order below capacity", () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.at(0)).toBe(1);
    expect(ring.at(2)).toBeUndefined();
  });

  it("overwrites the oldest past capacity and counts what it dropped", () => {
    const ring = new RingBuffer<number>(3);
    const evicted = [];
    for (let value = 1; value <= 7; value += 1) evicted.push(ring.push(value));
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2, 3, 4]);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.length).toBe(3);
    expect(ring.totalPushed).toBe(7);
    expect(ring.dropped).toBe(4);
  });

  it("holds 100,000 entries", () => {
    const ring = new RingBuffer<number>(100_000);
    for (let value = 0; value < 100_005; value += 1) ring.push(value);
    expect(ring.length).toBe(100_000);
    expect(ring.at(0)).toBe(5);
    expect(ring.at(99_999)).toBe(100_004);
  });

  it("clears", () => {
    const ring = new RingBuffer<string>(2);
    ring.push("a");
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.totalPushed).toBe(0);
    ring.push("b");
    expect(ring.toArray()).toEqual(["b"]);
  });

  it("rejects a useless capacity", () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
