/**
 * Round-trip times in a fixed, mergeable histogram: log-linear buckets (64 per power of two,
 * so a reported value is at most 1/64 ≈ 1.6 % above the true one) over whole microseconds.
 * A soak of millions of samples stays a few kilobytes, and client processes can send theirs
 * to the parent as a sparse list of counts.
 */

/** Buckets per power of two; also the count of exact buckets below 64 µs. */
const SUB_BUCKETS = 64;
const SUB_BITS = 6;

/** Bucket index for a value in whole microseconds (≥ 0). */
export function bucketOf(micros: number): number {
  const v = Math.max(0, Math.floor(micros));
  if (v < SUB_BUCKETS) return v;
  const exponent = 31 - Math.clz32(v);
  const shift = exponent - SUB_BITS;
  return SUB_BUCKETS * (shift + 1) + ((v >>> shift) - SUB_BUCKETS);
}

/** The largest value, in µs, that falls in bucket `index`: percentiles err on the slow side. */
export function bucketUpperBound(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const sub = index % SUB_BUCKETS;
  return (SUB_BUCKETS + sub + 1) * 2 ** shift - 1;
}

/** Counts as `[bucket, count]` pairs, only the non-empty ones: what crosses process lines. */
export type SparseCounts = Array<[number, number]>;

export interface HistogramSnapshot {
  counts: SparseCounts;
  /** Exact largest sample in µs (0 when empty). */
  maxMicros: number;
}

export class LatencyHistogram {
  // Values up to 2^31 µs (35 minutes) fit; anything longer is clamped into the last bucket.
  readonly #counts = new Float64Array(bucketOf(2 ** 31 - 1) + 1);
  #total = 0;
  #maxMicros = 0;

  get total(): number {
    return this.#total;
  }

  get maxMicros(): number {
    return this.#maxMicros;
  }

  record(micros: number): void {
    const clamped = Math.min(Math.max(0, micros), 2 ** 31 - 1);
    const index = bucketOf(clamped);
    this.#counts[index] = (this.#counts[index] ?? 0) + 1;
    this.#total += 1;
    if (clamped > this.#maxMicros) this.#maxMicros = clamped;
  }

  /**
   * The value, in µs, at or below which `fraction` (0–1) of the samples fall: the upper bound
   * of the bucket holding that rank, never above the exact maximum. NaN when empty.
   */
  percentile(fraction: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(fraction * this.#total));
    let seen = 0;
    for (let index = 0; index < this.#counts.length; index += 1) {
      seen += this.#counts[index] ?? 0;
      if (seen >= rank) return Math.min(bucketUpperBound(index), this.#maxMicros);
    }
    return this.#maxMicros;
  }

  snapshot(): HistogramSnapshot {
    const counts: SparseCounts = [];
    this.#counts.forEach((count, index) => {
      if (count > 0) counts.push([index, count]);
    });
    return { counts, maxMicros: this.#maxMicros };
  }

  add(snapshot: HistogramSnapshot): void {
    for (const [index, count] of snapshot.counts) {
      this.#counts[index] = (this.#counts[index] ?? 0) + count;
      this.#total += count;
    }
    if (snapshot.maxMicros > this.#maxMicros) this.#maxMicros = snapshot.maxMicros;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#total = 0;
    this.#maxMicros = 0;
  }
}
