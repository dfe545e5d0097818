import { describe, expect, it } from 'vitest';
import { latencyStats, overheadPercent, throughput, timeEach } from './models-stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('models bench statistics', () => {
  it('computes P50/P90/P99 like numpy, the mean and the minimum', () => {
    const s = latencyStats([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(s.p50Ms).toBeCloseTo(5.5);
    expect(s.p90Ms).toBeCloseTo(9.1);
    expect(s.p99Ms).toBeCloseTo(9.91);
    expect(s.meanMs).toBeCloseTo(5.5);
    expect(s.minMs).toBe(1);
    expect(s.samplesMs).toEqual([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(() => latencyStats([])).toThrow(RangeError);
  });

  it('timeEach runs warm-up calls untimed, then times each call', async () => {
    let calls = 0;
    const s = await timeEach(async () => void calls++, 4, 2);
    expect(calls).toBe(6);
    expect(s.n).toBe(4);
  });

  it('throughput keeps `concurrency` calls in flight and counts images per call', async () => {
    let inFlight = 0;
    let most = 0;
    const fn = async () => {
      most = Math.max(most, ++inFlight);
      await sleep(20);
      inFlight--;
    };
    const t = await throughput(fn, { calls: 8, concurrency: 4, batch: 2, warmup: 2 });
    expect(most).toBe(4);
    expect(t.latency.n).toBe(8);
    // 8 calls of 20 ms, 4 at a time: about 40 ms for 16 images, far more than one at a time would give.
    expect(t.imagesPerSecond).toBeGreaterThan(16 / 0.16);
    expect(t.imagesPerSecond).toBeCloseTo((16 * 1000) / t.wallMs);
  });

  it('overhead is (pipeline - raw) / raw in percent', () => {
    expect(overheadPercent(105, 100)).toBeCloseTo(5);
    expect(overheadPercent(90, 100)).toBeCloseTo(-10);
  });
});
