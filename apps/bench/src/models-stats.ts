import { percentile } from './timing.js';

/**
 * Latency and throughput measurement for the models benchmark. Latency: calls one after another, each
 * timed alone. Throughput: `concurrency` callers keep requests in flight until `calls` have been
 * made; images/s is the images done divided by the wall time of the whole block.
 */

export interface LatencyStats {
  readonly n: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  /** Every timed call in ms, in the order run (for the JSON report). */
  readonly samplesMs: readonly number[];
}

export interface ThroughputStats {
  readonly concurrency: number;
  /** Images per call (the batch size). */
  readonly batch: number;
  readonly calls: number;
  readonly wallMs: number;
  readonly imagesPerSecond: number;
  /** Time of each call from its start to its end (with queueing, under concurrency). */
  readonly latency: LatencyStats;
}

/** P50/P90/P99 (linear interpolation between ranks), mean and minimum of samples in ms. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) throw new RangeError('no samples: iterations must be at least 1');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
    minMs: sorted[0]!,
    samplesMs: [...samples],
  };
}

/** `warmup` untimed calls, then `iterations` calls timed one by one. */
export async function timeEach(fn: () => Promise<unknown>, iterations: number, warmup: number): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = now();
    await fn();
    samples.push(now() - start);
  }
  return latencyStats(samples);
}

/**
 * `calls` calls of `fn` with up to `concurrency` in flight (after `warmup` calls, also that concurrent),
 * timed as one block: images/s = calls * batch / wall time.
 */
export async function throughput(
  fn: () => Promise<unknown>,
  options: { calls: number; concurrency: number; batch?: number; warmup?: number; durationMs?: number },
): Promise<ThroughputStats> {
  const { calls, concurrency } = options;
  const batch = options.batch ?? 1;
  if (!(calls >= 1 && concurrency >= 1))
    throw new RangeError(`throughput: calls and concurrency must be at least 1, got ${calls} and ${concurrency}`);
  if (options.warmup) await inFlight(fn, options.warmup, concurrency, []);
  const samples: number[] = [];
  const start = now();
  await inFlight(
    fn,
    calls,
    concurrency,
    samples,
    options.durationMs === undefined ? undefined : start + options.durationMs,
  );
  const wallMs = now() - start;
  const done = samples.length;
  return {
    concurrency,
    batch,
    calls: done,
    wallMs,
    imagesPerSecond: (done * batch * 1000) / wallMs,
    latency: latencyStats(samples),
  };
}

/**
 * Runs `fn` `calls` times from `concurrency` loops, each starting its next call when its last ends.
 * With a `deadline` (ms, this clock) no call starts after it: `calls` is then an upper bound.
 */
async function inFlight(
  fn: () => Promise<unknown>,
  calls: number,
  concurrency: number,
  samples: number[],
  deadline?: number,
): Promise<void> {
  let started = 0;
  const loop = async () => {
    while (started < calls && (deadline === undefined || started < concurrency || now() < deadline)) {
      started++;
      const t = now();
      await fn();
      samples.push(now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, loop));
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** (pipeline - raw) / raw, as a percentage. */
export function overheadPercent(pipelineMs: number, rawMs: number): number {
  return ((pipelineMs - rawMs) / rawMs) * 100;
}
