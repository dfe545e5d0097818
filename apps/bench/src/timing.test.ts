import { describe, expect, it } from 'vitest';
import { measure, percentile, summarize } from './timing.js';

describe('measure', () => {
  it('times exactly `iterations` calls after `warmup` untimed ones, with ordered percentiles', async () => {
    let calls = 0;
    // Sleep-free, deterministic work: a few thousand additions.
    const work = () => {
      calls++;
      let s = 0;
      for (let i = 0; i < 5000; i++) s += i;
      return s;
    };
    const stats = await measure(work, { iterations: 25, warmup: 4 });
    expect(calls).toBe(29);
    expect(stats.iterations).toBe(25);
    expect(stats.samplesMs).toHaveLength(25);
    expect(stats.minMs).toBeGreaterThanOrEqual(0);
    expect(stats.minMs).toBeLessThanOrEqual(stats.medianMs);
    expect(stats.medianMs).toBeLessThanOrEqual(stats.p90Ms);
    expect(stats.p90Ms).toBeLessThanOrEqual(Math.max(...stats.samplesMs));
  });

  it('awaits async work', async () => {
    let done = 0;
    await measure(
      async () => {
        await Promise.resolve();
        done++;
      },
      { iterations: 3, warmup: 1 },
    );
    expect(done).toBe(4);
  });
});

describe('summarize / percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10], 90)).toBe(10);
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ iterations: 5, medianMs: 3, p90Ms: 4.6, minMs: 1 });
  });

  it('refuses an empty list', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
