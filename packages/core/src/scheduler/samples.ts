/** The p-th percentile (0..100, nearest rank) of `values`; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The last `capacity` samples of a measurement, for percentiles (a ring buffer, bounded memory). */
export class Samples {
  readonly #values: number[] = [];
  readonly #capacity: number;
  #next = 0;

  constructor(capacity = 1024) {
    this.#capacity = capacity;
  }

  add(value: number): void {
    if (this.#values.length < this.#capacity) this.#values.push(value);
    else this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  get count(): number {
    return this.#values.length;
  }

  /** The p-th percentile (0..100, nearest rank) of the kept samples; 0 when there are none. */
  percentile(p: number): number {
    return percentile(this.#values, p);
  }

  summary(): { p50: number; p99: number } {
    return { p50: this.percentile(50), p99: this.percentile(99) };
  }
}
