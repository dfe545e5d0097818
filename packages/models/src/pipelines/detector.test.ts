import { createRequire } from 'node:module';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DisposedError } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../architectures/index.js';
import { profileHostChunks } from '../engine/pipeline-support.js';
import { tinyDetectorModel } from '../engine/tiny-onnx.js';
import { COCO_LABELS } from '../labels/coco.js';
import type { DetectionResult } from '../types.js';
import { type Detector, createDetector } from './detector.js';

// ../shared/images beside the repository (never copied into it)
const IMAGES = fileURLToPath(new URL('../../../../../shared/images', import.meta.url));
const photo = (f: string) => `${IMAGES}/${f}`;

function expectWellFormed(r: DetectionResult, labels: readonly string[], conf = 0.25): void {
  expect(r.detections.length).toBeLessThanOrEqual(300);
  let last = Number.POSITIVE_INFINITY;
  for (const d of r.detections) {
    expect(Number.isInteger(d.classIndex)).toBe(true);
    expect(d.label).toBe(labels[d.classIndex]);
    expect(d.score).toBeGreaterThan(conf);
    expect(d.score).toBeLessThanOrEqual(1);
    expect(d.score).toBeLessThanOrEqual(last);
    last = d.score;
    const [x1, y1, x2, y2] = d.box;
    expect(0 <= x1 && x1 <= x2 && x2 <= r.width).toBe(true);
    expect(0 <= y1 && y1 <= y2 && y2 <= r.height).toBe(true);
  }
}

function expectSameDetections(a: DetectionResult, b: DetectionResult): void {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  expect(a.detections.length).toBe(b.detections.length);
  a.detections.forEach((d, i) => {
    const e = b.detections[i];
    expect(d.classIndex).toBe(e.classIndex);
    expect(Math.abs(d.score - e.score)).toBeLessThan(1e-5);
    // box corners are image pixels (hundreds): within 1e-5 relative
    d.box.forEach((v, k) => {
      expect(Math.abs(v - e.box[k])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v)));
    });
  });
}

describe('detector: YOLOv8s (architecture-only) on photos', () => {
  let detector: Detector;
  let model: Uint8Array;
  beforeAll(async () => {
    model = (await exportModel('yolov8s', { seed: 0 })).bytes;
    detector = createDetector({ weights: model, backend: 'cpu' });
    await detector.load();
    await detector.warmup(1);
  });
  afterAll(async () => {
    await detector?.dispose();
  });

  it('says where the weights came from and which provider and labels serve it', () => {
    expect(detector.weights).toEqual({
      kind: 'architecture-only',
      source: '<buffer>',
      seed: 0,
      note: expect.stringMatching(/^architecture-only: .*meaningless/),
    });
    expect(detector.provider).toEqual({ name: 'cpu', requested: 'cpu' });
    expect(detector.labels).toEqual(COCO_LABELS); // from the model's names metadata
    expect(detector.model).toBe('yolov8s');
  });

  it('detects on a photo: well-formed results in image pixels, labelled', async () => {
    const r = await detector.run(photo('dog.jpg'));
    expect([r.width, r.height]).toEqual([768, 576]);
    expect(r.weights.kind).toBe('architecture-only');
    expectWellFormed(r, COCO_LABELS);
    console.log(
      `[detector] dog.jpg: ${r.detections.length} detections (architecture-only weights), first ` +
        `${JSON.stringify(r.detections[0])}`,
    );
    expect(detector.device?.liveTensors).toBe(0);
  });

  it('runBatch of 3 equals 3 runs within 1e-5', async () => {
    const files = ['dog.jpg', 'person.jpg', 'skimage_chelsea.png'].map(photo);
    const batch = await detector.runBatch(files);
    expect(batch).toHaveLength(3);
    for (let i = 0; i < files.length; i++) {
      const single = await detector.run(files[i]);
      expectWellFormed(batch[i], COCO_LABELS);
      expectSameDetections(batch[i], single);
    }
    expect(await detector.runBatch([])).toEqual([]);
  });

  const eventLoopTitle =
    'keeps the event loop turning: 8 concurrent runs, a 10 ms timer is late by under half what one raw run on the ' +
    'main thread makes it';
  it(eventLoopTitle, async () => {
    const files = ['dog.jpg', 'person.jpg', 'horses.jpg', 'opencv_messi5.jpg'].map(photo);
    await detector.run(files[0]); // steady state: the pre/post-processing code is compiled, as in a server
    // for the record: the longest synchronous chunk of each kind on this thread, and the GC pauses
    profileHostChunks(true);
    const gcPauses: number[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcPauses.push(e.duration);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 10);
      last = now;
    }, 10);
    const started = performance.now();
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => detector.run(files[i % files.length])));
      for (const r of results) expectWellFormed(r, COCO_LABELS);
    } finally {
      clearInterval(timer);
      loopDelay.disable();
      gcObserver.disconnect();
    }
    const total = performance.now() - started;
    const chunks = profileHostChunks(false);
    console.log(
      `[event loop] 8 concurrent YOLOv8s detector.run(): ${total.toFixed(0)} ms in all; worst 10 ms timer ` +
        `lateness ${worst.toFixed(1)} ms (bound: half the raw run's); ` +
        `loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, ` +
        `max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    const chunkList = Object.entries(chunks)
      .map(([k, v]) => `${k} ${v.maxMs.toFixed(1)} (${v.count})`)
      .join(', ');
    const gcTotal = gcPauses.reduce((a, b) => a + b, 0);
    console.log(
      `[event loop] longest synchronous chunk per kind (ms, count): ${chunkList}; GC pauses: ${gcPauses.length}, ` +
        `longest ${Math.max(0, ...gcPauses).toFixed(1)} ms, total ${gcTotal.toFixed(1)} ms`,
    );

    // the baseline: how long raw onnxruntime-node's run() holds the loop
    let rawWorst = 0;
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
    try {
      const input = new ort.Tensor('float32', new Float32Array(3 * 640 * 640).fill(0.5), [1, 3, 640, 640]);
      await session.run({ images: input }); // warm
      let rawLast = performance.now();
      const rawTimer = setInterval(() => {
        const now = performance.now();
        rawWorst = Math.max(rawWorst, now - rawLast - 10);
        rawLast = now;
      }, 10);
      for (let i = 0; i < 2; i++) await session.run({ images: input });
      clearInterval(rawTimer);
      console.log(
        '[event loop] raw onnxruntime-node session.run() on the main thread: worst timer lateness ' +
          `${rawWorst.toFixed(1)} ms`,
      );
    } finally {
      await session.release();
    }
    // relative to the same run's baseline, not a number of ms: the pipeline keeps the loop turning far
    // better than onnxruntime's run() on the main thread, which holds it for a whole inference
    expect(worst).toBeLessThan(rawWorst / 2);
  });

  it('a disposed detector refuses work with DisposedError', async () => {
    const d = createDetector({ weights: tinyDetectorModel(), backend: 'cpu', threadsPerSession: 1 });
    await d.load();
    await d.dispose();
    await expect(d.run(photo('dog.jpg'))).rejects.toThrow(DisposedError);
    await expect(d.load()).rejects.toThrow(/disposed/);
    await d.dispose();
  });
});

describe('detector: labels, filters and batches (a stand-in YOLO head)', () => {
  it('takes class names from the names metadata; COCO when absent; filters classes', async () => {
    const named = createDetector({
      weights: tinyDetectorModel({ classes: 3, metadata: { names: "{0: 'cat', 1: 'hat', 2: 'bat'}" } }),
      backend: 'cpu',
      threadsPerSession: 1,
    });
    try {
      const r = await named.run(photo('skimage_chelsea.png'));
      expect(named.labels).toEqual(['cat', 'hat', 'bat']);
      expect(named.weights).toEqual({ kind: 'user', source: '<buffer>' });
      expect(r.detections.map((d) => d.label)).toEqual(['cat', 'hat', 'bat']);
      expectWellFormed(r, ['cat', 'hat', 'bat']);
    } finally {
      await named.dispose();
    }
    const coco = createDetector({
      weights: tinyDetectorModel(),
      backend: 'cpu',
      threadsPerSession: 1,
      classes: [1, 2],
    });
    try {
      const r = await coco.run(photo('skimage_chelsea.png'));
      expect(coco.labels).toBe(COCO_LABELS);
      expect(r.detections.map((d) => d.label)).toEqual(['bicycle', 'car']);
    } finally {
      await coco.dispose();
    }
  });

  it('a model with a fixed batch of 2 serves a batch of 5 (chunks, last one padded)', async () => {
    const d = createDetector({ weights: tinyDetectorModel({ batch: 2 }), backend: 'cpu', threadsPerSession: 1 });
    try {
      const files = ['dog.jpg', 'person.jpg', 'horses.jpg', 'skimage_coffee.png', 'skimage_page.png'].map(photo);
      const results = await d.runBatch(files);
      expect(results).toHaveLength(5);
      expect(results.map((r) => r.width)).toEqual([768, 640, 773, 600, 384]);
      for (const r of results) expect(r.detections).toHaveLength(3);
    } finally {
      await d.dispose();
    }
  });
});
