import { describe, expect, it } from 'vitest';
import {
  type ModelResult,
  type SideResult,
  batchTable,
  goalLines,
  latencyTable,
  throughputTable,
} from './models-report.js';
import { type ThroughputStats, latencyStats } from './models-stats.js';

const lat = (p50: number) => latencyStats([p50, p50, p50]);
const tput = (imagesPerSecond: number, concurrency = 1, batch = 1): ThroughputStats => ({
  concurrency,
  batch,
  calls: 4,
  wallMs: (4 * batch * 1000) / imagesPerSecond,
  imagesPerSecond,
  latency: lat(10),
});

function side(
  kind: 'raw' | 'pipeline',
  p50: number,
  rates: Record<number, number>,
  batches: Record<number, number>,
): SideResult {
  return {
    side: kind,
    model: 'resnet50',
    loadMs: 500,
    latency: lat(p50),
    throughput: Object.entries(rates).map(([c, r]) => ({
      concurrency: Number(c),
      sessions: Number(c) === 1 ? 1 : 2,
      threadsPerSession: Number(c) === 1 ? 2 : 1,
      result: tput(r, Number(c)),
    })),
    batches: Object.entries(batches).map(([b, r]) => ({ batch: Number(b), result: tput(r, 1, Number(b)) })),
    rss: { peakBytes: 300 * 2 ** 20, samples: 10, intervalMs: 100 },
    notes: [],
  };
}

const result: ModelResult = {
  model: 'resnet50',
  image: 'grace_hopper.jpg',
  raw: side('raw', 60, { 1: 16 }, { 1: 16, 4: 17, 8: 16.5 }),
  pipeline: {
    ...side('pipeline', 62, { 1: 15.5, 2: 22, 4: 21 }, { 1: 15.5, 4: 16 }),
    preprocess: lat(1.5),
    pool: lat(61),
  },
};

describe('models bench tables', () => {
  it('latency: one row per side, the overhead of the pipeline p50 over the raw p50', () => {
    const lines = latencyTable([result]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^model +side +p50 ms +p90 ms +p99 ms +mean ms +img\/s +overhead +preproc p50 +pool p50 +peak RSS +load ms$/,
    );
    expect(lines[2]).toMatch(/^resnet50 +raw +60\.0 +60\.0 +60\.0 +60\.0 +16\.7 +300 MiB +500$/);
    expect(lines[3]).toMatch(/^ +pipeline +62\.0 .* \+3\.3% +1\.50 +61\.0 +300 MiB +500$/);
  });

  it('throughput: raw loop, the pipeline at each concurrency with its sessions, best / raw', () => {
    const lines = throughputTable([result], [2, 4]).split('\n');
    expect(lines[0]).toMatch(/^model +raw loop +pipeline c1 +pipeline c2 +pipeline c4 +best \/ raw$/);
    expect(lines[2]).toMatch(/^resnet50 +16\.0 \(1x2\) +15\.5 \(1x2\) +22\.0 \(2x1\) +21\.0 \(2x1\) +1\.38x$/);
  });

  it('batches: images/s per batch size and the best one, a dash where a batch was not run', () => {
    const lines = batchTable([result], [1, 4, 8]).split('\n');
    expect(lines[2]).toMatch(/^resnet50 +raw +16\.0 +17\.0 +16\.5 +17\.0 \(b4\)$/);
    expect(lines[3]).toMatch(/^ +pipeline +15\.5 +16\.0 +- +16\.0 \(b4\)$/);
  });

  it("shows errors in place of numbers and states the goals with this run's numbers", () => {
    const broken = { ...result, pipeline: { ...result.pipeline, latency: { error: 'model does not fit' } } };
    expect(latencyTable([broken])).toContain('error: model does not fit');
    expect(goalLines([result])).toEqual([
      '- resnet50: overhead +3.3% (under 5%; preprocessing alone 1.50 ms = 3% of the raw p50, session pool ' +
        'alone 61.0 ms); with concurrency 1.38x the raw loop (at least 1.3x)',
    ]);
    expect(goalLines([broken])[0]).toContain('overhead -');
  });
});
