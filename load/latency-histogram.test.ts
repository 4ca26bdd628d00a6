import { describe, expect, it } from "vitest";
import { bucketOf, bucketUpperBound, LatencyHistogram } from "./latency-histogram.ts";

describe("bucketOf / bucketUpperBound", () => {
  it("is exact below 64 µs", () => {
    for (let v = 0; v < 64; v += 1) {
      expect(bucketUpperBound(bucketOf(v))).toBe(v);
    }
  });

  it("puts every value at or below its bucket's upper bound, within 1/64 of it", () => {
    for (const v of [64, 65, 127, 128, 129, 1000, 19_999, 20_000, 1_000_000, 2 ** 31 - 1]) {
      const upper = bucketUpperBound(bucketOf(v));
      expect(upper).toBeGreaterThanOrEqual(v);
      expect((upper - v) / v).toBeLessThan(1 / 64);
    }
  });

  it("has buckets that follow one another without gaps", () => {
    for (let index = 1; index < bucketOf(10_000_000); index += 1) {
      expect(bucketOf(bucketUpperBound(index - 1) + 1)).toBe(index);
    }
  });
});

describe("LatencyHistogram", () => {
  it("reports NaN percentiles when empty", () => {
    expect(new LatencyHistogram().percentile(0.5)).toBeNaN();
  });

  it("reports percentiles of 1..1000 µs within a bucket's width", () => {
    const histogram = new LatencyHistogram();
    for (let v = 1; v <= 1000; v += 1) histogram.record(v);
    expect(histogram.percentile(0.5)).toBeGreaterThanOrEqual(500);
    expect(histogram.percentile(0.5)).toBeLessThan(500 * (1 + 1 / 64));
    expect(histogram.percentile(0.99)).toBeGreaterThanOrEqual(990);
    expect(histogram.percentile(1)).toBe(1000);
    expect(histogram.maxMicros).toBe(1000);
  });

  it("never reports a percentile above the exact maximum", () => {
    const histogram = new LatencyHistogram();
    histogram.record(1001);
    expect(histogram.percentile(0.99)).toBe(1001);
  });

  it("merges snapshots into the same figures as recording everything in one", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const both = new LatencyHistogram();
    for (let v = 0; v < 5000; v += 7) {
      (v % 2 ? a : b).record(v);
      both.record(v);
    }
    const merged = new LatencyHistogram();
    merged.add(a.snapshot());
    merged.add(b.snapshot());
    expect(merged.total).toBe(both.total);
    expect(merged.maxMicros).toBe(both.maxMicros);
    for (const p of [0.1, 0.5, 0.9, 0.99, 1]) expect(merged.percentile(p)).toBe(both.percentile(p));
  });

  it("starts over after reset", () => {
    const histogram = new LatencyHistogram();
    histogram.record(5000);
    histogram.reset();
    histogram.record(3);
    expect(histogram.total).toBe(1);
    expect(histogram.percentile(0.99)).toBe(3);
  });
});
