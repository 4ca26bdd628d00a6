/**
 * A fixed-capacity FIFO: pushing past capacity overwrites the oldest entry, so a log can
 * take a firehose of events in O(1) each without growing without bound.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: (T | undefined)[];
  #start = 0;
  #length = 0;
  /** How many entries were ever pushed, including overwritten ones. */
  #pushed = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  get totalPushed(): number {
    return this.#pushed;
  }

  /** Entries pushed but no longer held because the buffer wrapped. */
  get dropped(): number {
    return this.#pushed - this.#length;
  }

  /** Appends `item` and returns the entry it overwrote, if the buffer was full. */
  push(item: T): T | undefined {
    const end = (this.#start + this.#length) % this.capacity;
    const evicted = this.#length === this.capacity ? this.#items[end] : undefined;
    this.#items[end] = item;
    if (this.#length < this.capacity) this.#length += 1;
    else this.#start = (this.#start + 1) % this.capacity;
    this.#pushed += 1;
    return evicted;
  }

  /** The entry at `index` counted from the oldest held, or undefined outside 0..length-1. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    return this.#items[(this.#start + index) % this.capacity];
  }

  clear(): void {
    this.#items = new Array<T | undefined>(this.capacity);
    this.#start = 0;
    this.#length = 0;
    this.#pushed = 0;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let index = 0; index < this.#length; index += 1) out.push(this.at(index) as T);
    return out;
  }
}
