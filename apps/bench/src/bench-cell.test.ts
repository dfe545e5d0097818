import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { measuredCell } from './bench-cells.js';
import { cell } from './models-child.js';
import type { SideRunner } from './models-side.js';
import { matmulModel } from './peak.js';

/** A SideRunner over any call: the cell runner times it as it times the pipeline and the raw loop. */
function runnerOf(once: () => Promise<void>, batch: (n: number) => Promise<void> = once): SideRunner {
  return { loadMs: 0, notes: [], once, batch, dispose: async () => {} };
}

function checkCell(answer: Awaited<ReturnType<typeof cell>>, calls: number, concurrency: number, batch: number) {
  if (!('ok' in answer) || answer.ok !== 'cell') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  const s = answer.stats;
  const l = s.latency;
  expect(s.calls).toBe(calls);
  expect(l.n).toBe(calls);
  expect(l.samplesMs).toHaveLength(calls);
  expect(l.minMs).toBeLessThanOrEqual(l.p50Ms);
  expect(l.p50Ms).toBeLessThanOrEqual(l.p90Ms);
  expect(l.p90Ms).toBeLessThanOrEqual(l.p99Ms);
  expect(l.p99Ms).toBeLessThanOrEqual(Math.max(...l.samplesMs));
  expect(s.imagesPerSecond).toBeCloseTo((calls * batch * 1000) / s.wallMs, 6);
  // Little's law: calls/s x mean time in flight = calls in flight.
  const inFlight = (s.imagesPerSecond / batch) * (l.meanMs / 1000);
  expect(inFlight).toBeGreaterThan(concurrency * 0.75);
  expect(inFlight).toBeLessThan(concurrency * 1.25);
  const c = measuredCell({ model: 'm', engine: 'x', backend: '-', precision: 'fp32', batch, concurrency }, answer, {
    executionProvider: 'cpu',
  });
  expect(c.status).toBe('ok');
  expect(c.latency?.n).toBe(calls);
  return s;
}

describe('the cell runner measures real work', () => {
  const matMulTitle =
    "a 256x256 MatMul model on onnxruntime-node (GraphBuilder): counts, ordered percentiles, Little's law";
  it(matMulTitle, async () => {
    const n = 256;
    const { bytes } = matmulModel(n, 'rows');
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    try {
      let runs = 0;
      const feeds = (rows: number) => ({
        a: new ort.Tensor('float32', new Float32Array(rows * n).fill(0.5), [rows, n]),
      });
      const one = feeds(64);
      const runner = runnerOf(
        async () => {
          runs++;
          await session.run(one);
        },
        async (b) => {
          runs++;
          await session.run(feeds(64 * b));
        },
      );
      for (const concurrency of [1, 3]) {
        runs = 0;
        checkCell(await cell(runner, { op: 'cell', calls: 24, concurrency, batch: 1, warmup: 2 }), 24, concurrency, 1);
        expect(runs).toBe(26);
      }
      checkCell(await cell(runner, { op: 'cell', calls: 8, concurrency: 1, batch: 4, warmup: 1 }), 8, 1, 4);
    } finally {
      await session.release();
    }
  });

  it('a pure-JS busy function, with --duration: stops starting calls at the deadline', async () => {
    const busy = async () => {
      await Promise.resolve();
      const end = performance.now() + 2;
      let x = 0;
      while (performance.now() < end) x++;
      if (x < 0) throw new Error('unreachable');
    };
    const a = await cell(runnerOf(busy), {
      op: 'cell',
      calls: 1_000_000,
      durationMs: 120,
      concurrency: 2,
      batch: 1,
      warmup: 1,
    });
    if (!('ok' in a) || a.ok !== 'cell') throw new Error('no cell');
    expect(a.stats.calls).toBeGreaterThan(20);
    // stops at the deadline: past it, only the calls in flight finish (relative to their measured length,
    // not a fixed number of ms, so a loaded machine does not fail it)
    const slowest = Math.max(...a.stats.latency.samplesMs);
    expect(a.stats.wallMs).toBeLessThan(120 + 3 * slowest + 50);
    checkCell(a, a.stats.calls, 2, 1);
  });
});
