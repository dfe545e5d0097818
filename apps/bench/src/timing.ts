/**
 * Timing of one operation: warm-up calls first (JIT, caches, lazy allocations), then `iterations`
 * timed calls, each measured alone with the monotonic nanosecond clock. Reports the median, the 90th
 * percentile and the minimum: the median resists outliers (GC, other processes), p90 shows the tail,
 * and the minimum is the best the machine managed.
 */

export interface TimingOptions {
  /** Timed calls. */
  iterations: number;
  /** Untimed calls before the timed ones. */
  warmup: number;
}

export interface TimingStats {
  readonly iterations: number;
  readonly warmup: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
  /** Every timed call in ms, in the order run (for the JSON report). */
  readonly samplesMs: readonly number[];
}

/** Runs `fn` warmup + iterations times and times the last `iterations` calls. Awaits it when it returns a promise. */
export async function measure(fn: () => unknown, options: TimingOptions): Promise<TimingStats> {
  for (let i = 0; i < options.warmup; i++) await settle(fn());
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const start = process.hrtime.bigint();
    await settle(fn());
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ...summarize(samples), warmup: options.warmup, samplesMs: samples };
}

/** Median, p90 and minimum of a list of samples (ms). */
export function summarize(samples: readonly number[]): Omit<TimingStats, 'warmup' | 'samplesMs'> {
  if (samples.length === 0) throw new RangeError('no samples to summarize: iterations must be at least 1');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    iterations: samples.length,
    medianMs: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    minMs: sorted[0]!,
  };
}

/** The p-th percentile of sorted values, interpolating linearly between ranks (numpy's default). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

// Only a real promise is awaited, so a synchronous op is timed without an extra microtask turn.
// (An arbitrary thenable is not awaited: opencv.js's module object is one that never settles cleanly.)
async function settle(value: unknown): Promise<void> {
  if (value instanceof Promise) await value;
}
