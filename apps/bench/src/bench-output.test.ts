import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { measuredCell, naCell, precisionReason, withComparisons } from './bench-cells.js';
import { formatReport, markdownReport } from './bench-report.js';
import { type BenchResults, SCHEMA_VERSION } from './bench-results.js';
import { latencyChart, throughputChart } from './charts.js';
import { compareResults } from './compare.js';
import { latencyStats } from './models-stats.js';
import { TESSERACT_MISSING } from './ocr-tesseract.js';
import { validate } from './schema-check.js';
import { goal, streamCell, withNaiveRatios } from './streams-results.js';
import type { RunMeasure } from './streams-run.js';

const schema = JSON.parse(readFileSync(join(__dirname, '../schema/results.schema.json'), 'utf8')) as Record<
  string,
  unknown
>;

function stats(p50: number, calls = 5, batch = 1) {
  const latency = latencyStats(Array.from({ length: calls }, (_, i) => p50 + i - 2));
  return {
    concurrency: 1,
    batch,
    calls,
    wallMs: latency.meanMs * calls,
    imagesPerSecond: (batch * 1000) / latency.meanMs,
    latency,
  };
}

/** A measured streams run: `frames` in `wallMs`, realtime latencies `rt` ms, batch ones 200 ms. */
function measure(frames: number, wallMs: number, rt: number[], lanes?: RunMeasure['lanes']): RunMeasure {
  const latencies = { realtime: rt, batch: [200, 210, 220] };
  return { frames, wallMs, dropped: 3, droppedBySource: 2, droppedByScheduler: 1, latencies, cpuBusy: 0.97, lanes };
}

function streamsSection() {
  const cells = withNaiveRatios([
    streamCell('naive', 'cpu', 1, measure(600, 10_000, [100, 120, 300])),
    streamCell(
      'scheduled',
      'cpu',
      2,
      measure(900, 10_000, [20, 30, 60], [{ id: 'cpu0', done: 450, runP50Ms: 18, waitP50Ms: 4 }]),
    ),
    streamCell('naive', 'simulated', 1, measure(500, 10_000, [90])),
    streamCell('scheduled', 'simulated', 4, measure(1800, 10_000, [15])),
  ]);
  const workload = {
    sources: 4,
    seconds: 10,
    fps: 30,
    width: 640,
    height: 360,
    model: 'mobilenetv3',
    realtimeSources: 1,
  };
  return { workload, inferenceMs: 17.5, cells, goal: goal(cells) };
}

const chainTiming = { uploadMs: 1, kernelsMs: 5, downloadMs: 2, totalMs: 8, uploads: 1, downloads: 1, iterations: 3 };

function results(scale = 1): BenchResults {
  const key = (model: string, engine: string, backend: string) => ({
    model,
    engine,
    backend,
    precision: 'fp32',
    batch: 1,
    concurrency: 1,
  });
  const device = {
    device: 'cpu:0 AMD EPYC',
    sampledPeakBytes: 2e6,
    contextPeakBytes: 3e6,
    samples: 4,
    uploads: 5,
    downloads: 5,
    uploadBytes: 1e6,
    downloadBytes: 1e6,
  };
  const cells = [
    measuredCell(
      key('resnet50', 'onnxruntime-node', '-'),
      { stats: stats(80 * scale) },
      { executionProvider: 'cpu', coldMs: 90, hostPeakRssBytes: 5e8 },
    ),
    measuredCell(
      key('resnet50', 'ocellus', 'cpu'),
      { stats: stats(100 * scale), device },
      { executionProvider: 'cpu', coldMs: 140, hostPeakRssBytes: 6e8 },
    ),
    measuredCell(key('yolov8s', 'onnxruntime-node', '-'), { stats: stats(280 * scale) }, { executionProvider: 'cpu' }),
    measuredCell(key('yolov8s', 'ocellus', 'cpu'), { stats: stats(400 * scale), device }, { executionProvider: 'cpu' }),
    naCell({ ...key('resnet50', 'ocellus', 'cpu'), precision: 'fp16' }, precisionReason('fp16')!),
    naCell(key('resnet50', 'ocellus', 'vulkan'), 'n/a: not installed'),
    naCell(key('ocr', 'tesseract', '-'), TESSERACT_MISSING),
  ];
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: 'test',
    environment: {
      cpu: 'AMD EPYC',
      cores: 2,
      node: 'v20',
      platform: 'linux x64',
      onnxruntime: '1.30.0',
      date: '2026-11-24T00:00:00Z',
      load: 0.5,
      backends: [
        { backend: 'cpu', available: true, devices: [{ name: 'AMD EPYC', type: 'cpu' }] },
        { backend: 'vulkan', available: false, reason: 'not installed', devices: [] },
      ],
      libraries: { sharp: '0.35.5' },
    },
    options: { quick: true },
    peak: { flopsPerSecond: 6e10, method: 'MatMul', matmulSize: 1024, runs: 5, bestMs: 35 },
    models: [
      { model: 'resnet50', status: 'ok', parameters: 25_557_032, flopsPerImage: 8.2e9 },
      { model: 'yolov8s', status: 'ok', parameters: 11_166_560, flopsReason: 'countFlops not exported' },
      { model: 'ocr', status: 'ok', weights: 'PP-OCRv4' },
    ],
    cells: withComparisons(cells, { resnet50: 8.2e9 }, 6e10),
    ops: [
      { op: 'gray', library: 'Ocellus-CPU', status: 'ok', medianMs: 6, p90Ms: 7, minMs: 5, iterations: 5 },
      {
        op: 'gray',
        library: 'opencv.js',
        status: 'ok',
        medianMs: 2,
        p90Ms: 2.5,
        minMs: 2,
        iterations: 5,
        ocellusRatio: 3,
      },
      { op: 'canny', library: 'sharp', status: 'n/a', reason: 'n/a: sharp has no such op' },
    ],
    chains: [
      {
        chain: 'edges',
        title: 'gray -> blur',
        backend: 'cpu',
        status: 'ok',
        device: 'cpu:0 AMD EPYC',
        timing: chainTiming,
      },
      {
        chain: 'edges',
        title: 'gray -> blur',
        backend: 'vulkan',
        status: 'ok',
        device: 'vulkan:0 llvmpipe',
        timing: chainTiming,
        cpuRatio: 2,
      },
      { chain: 'edges', title: 'gray -> blur', backend: 'webgpu', status: 'n/a', reason: 'Dawn found no adapter' },
    ],
    streams: streamsSection(),
    notes: ['a note'],
    durationMs: 1234,
  };
}

describe('results.json', () => {
  it('validates against schema/results.schema.json, and the validator catches what it must', () => {
    const r = JSON.parse(JSON.stringify(results()));
    expect(validate(schema, r)).toEqual([]);
    const resnet = r.cells.find((c: { id: string }) => c.id === 'resnet50/ocellus/cpu/fp32/b1/c1');
    expect(resnet.vsRaw.p50Ratio).toBeCloseTo(1.25);
    expect(resnet.copiesPerImage).toBe(2);
    expect(resnet.floor.percentOfPeak).toBeGreaterThan(0);
    const bad = JSON.parse(JSON.stringify(r));
    bad.schemaVersion = 1;
    bad.cells[0].batch = 0;
    bad.cells[1].status = 'fine';
    bad.chains[1].timing.uploads = 0.5;
    bad.streams.cells[1].mode = 'fast';
    bad.streams.cells[0].dropped = -1;
    delete bad.environment.cpu;
    expect(validate(schema, bad)).toEqual(
      expect.arrayContaining([
        '/schemaVersion: expected 2',
        '/cells/0/batch: 0 < minimum 1',
        expect.stringMatching(/^\/cells\/1\/status: "fine" is not one of/),
        "/environment: missing required 'cpu'",
        expect.stringMatching(/^\/chains\/1\/timing\/uploads: /),
        expect.stringMatching(/^\/streams\/cells\/1\/mode: "fast" is not one of/),
        '/streams/cells/0/dropped: -1 < minimum 0',
      ]),
    );
  });

  it('the reports show numbers, ratios and every n/a reason; compare prints B / A per cell', () => {
    const text = formatReport(results());
    expect(text).toMatch(/resnet50 +ocellus +cpu +fp32 +1 +1 +100 /);
    expect(text).toContain(TESSERACT_MISSING);
    expect(text).toContain('| gray -> blur | vulkan | vulkan:0 llvmpipe | 1.00 | 5.00 | 2.00 | 8.00 | 1/1 | 2.00x |');
    expect(text).toContain('n/a: Dawn found no adapter');
    expect(markdownReport(results())).toContain('## Image-op chains');
    expect(text).toContain("onnxruntime-node's cpu EP has few fp16 kernels");
    expect(markdownReport(results())).toMatch(/^\| resnet50 \| ocellus \| cpu \|/m);
    const cmp = compareResults(results(), results(2));
    expect(cmp).toMatch(/resnet50\/ocellus\/cpu\/fp32\/b1\/c1 +100 +200 +2\.00x/);
    expect(cmp).toMatch(/ocr\/tesseract.*A n\/a, B n\/a/);
  });

  it('streams: ratios to the naive loop of the same lane kind, the goal line, the table', () => {
    const s = streamsSection();
    const sched = s.cells.find((c) => c.id === 'scheduled/cpux2')!;
    expect(sched.framesPerSecond).toBeCloseTo(90);
    expect(sched.vsNaive!.framesPerSecondRatio).toBeCloseTo(1.5);
    expect(sched.vsNaive!.realtimeP99Ratio).toBeCloseTo(60 / 300);
    expect(s.cells.find((c) => c.id === 'scheduled/simulatedx4')!.vsNaive!.framesPerSecondRatio).toBeCloseTo(3.6);
    expect(s.cells.find((c) => c.mode === 'naive')!.vsNaive).toBeUndefined();
    expect(s.goal.met).toBe(true);
    expect(s.goal.text).toMatch(/^met: scheduled\/cpux2 90\.0 frames\/s = 1\.50x the naive loop \(60\.0; goal 1\.3x\)/);
    // below 1.3x, or a realtime p99 not lower: not met
    const slow = withNaiveRatios([s.cells[0]!, streamCell('scheduled', 'cpu', 2, measure(700, 10_000, [20]))]);
    expect(goal(slow).met).toBe(false);
    const late = withNaiveRatios([s.cells[0]!, streamCell('scheduled', 'cpu', 2, measure(900, 10_000, [400]))]);
    expect(goal(late).met).toBe(false);
    const text = formatReport(results());
    expect(text).toMatch(/scheduled\/cpux2 +900 +90\.0 +1\.50x +30\.0 +59\.4 +0\.20x +210 +220 +3 \(2\+1\) +97%/);
    expect(text).toContain('goal (4 sources): met');
    expect(markdownReport(results())).toContain('## Video streams');
  });
});

describe('charts', () => {
  for (const [name, chart] of [
    ['latency', latencyChart],
    ['throughput', throughputChart],
  ] as const) {
    it(`${name}.svg rasterises with sharp to a non-blank picture with several colours`, async () => {
      const svg = chart(results());
      expect(svg).toMatch(/^<svg /);
      const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBeGreaterThan(300);
      const colours = new Set<number>();
      let nonWhite = 0;
      for (let i = 0; i < data.length; i += 3) {
        const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        colours.add(rgb);
        if (rgb !== 0xffffff) nonWhite++;
      }
      expect(colours.size).toBeGreaterThan(5);
      expect(nonWhite / (info.width * info.height)).toBeGreaterThan(0.02);
      // Both engines' series are in the legend.
      expect(svg).toContain('raw onnxruntime-node fp32 b1 c1');
      expect(svg).toContain('ocellus cpu fp32 b1 c1');
    });
  }
});
