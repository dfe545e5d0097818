import { resolve } from 'node:path';
import { decodeImage } from '@ocellus/core';
import onnxProto from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COCO_LABELS, formatNamesMetadata } from '../labels/coco.js';
import { readModelInfo } from '../onnx/model-info.js';
import { buildYoloV8s, YOLOV8S_NOTE } from './yolov8s.js';

const SEED = 0;
const SIZE = 640;
const ANCHORS = 8400;
const PLANE = 3 * SIZE * SIZE;

const PHOTO = resolve(__dirname, '../../../../samples/grace_hopper.jpg');

/**
 * A photo (512x600) centred on Ultralytics' gray letterbox (114) without scaling, CHW in [0, 1]. A random
 * net barely moves the class logits off their bias prior for smooth synthetic images; a photo moves them.
 */
async function photo(): Promise<Float32Array> {
  const img = await decodeImage(PHOTO);
  const out = new Float32Array(PLANE).fill(114 / 255);
  const top = (SIZE - img.height) >> 1;
  const left = (SIZE - img.width) >> 1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      for (let c = 0; c < 3; c++)
        out[c * SIZE * SIZE + (top + y) * SIZE + left + x] = img.data[(y * img.width + x) * 3 + c] / 255;
    }
  }
  return out;
}

/** A second, different input: smooth gradients with a few flat rectangles, in [0, 1]. */
function syntheticImage(): Float32Array {
  const img = new Float32Array(PLANE);
  const boxes = [
    [140, 120, 260, 330, 0.9],
    [380, 230, 560, 520, 0.1],
    [60, 420, 300, 600, 0.6],
  ];
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let v = 0.5 + 0.3 * Math.sin((x * (c + 2)) / 90) * Math.cos(y / 70);
        for (const [x1, y1, x2, y2, level] of boxes)
          if (x >= x1 && x < x2 && y >= y1 && y < y2) v = (level + 0.2 * c) % 1;
        img[c * SIZE * SIZE + y * SIZE + x] = v;
      }
    }
  }
  return img;
}

async function run(
  session: InferenceSession,
  images: readonly Float32Array[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const input = new Float32Array(images.length * PLANE);
  for (const [i, img] of images.entries()) input.set(img, i * PLANE);
  const out = await session.run({ images: new Tensor('float32', input, [images.length, 3, SIZE, SIZE]) });
  return { data: out.output0.data as Float32Array, dims: out.output0.dims };
}

describe('YOLOv8s (Ultralytics yolov8.yaml, scale s), architecture-only weights', () => {
  let bytes: Uint8Array;
  let parameterCount: number;
  let session: InferenceSession;
  let imageA: Float32Array;
  const imageB = syntheticImage();
  let single: Float32Array;

  beforeAll(async () => {
    imageA = await photo();
    const g = buildYoloV8s(SEED);
    parameterCount = g.parameterCount;
    bytes = g.toBytes({ opsetVersion: 17 });
    // One thread: the machine's cores are shared with other test runs.
    session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    await run(session, [imageA]); // warm-up, so the timed run below measures inference only
    const t0 = performance.now();
    const out = await run(session, [imageA]);
    console.info(`yolov8s batch 1 inference: ${(performance.now() - t0).toFixed(0)} ms (onnxruntime-node, 1 thread)`);
    expect(out.dims).toEqual([1, 84, ANCHORS]);
    single = out.data;
  });
  afterAll(async () => {
    await session?.release();
  });

  it("has exactly Ultralytics YOLOv8s' 11,166,560 parameters", () => {
    expect(parameterCount).toBe(11_166_560);
  });

  it("names initializers like Ultralytics' state_dict, with DFL's fixed 0..15 weights", () => {
    const model = onnxProto.onnx.ModelProto.decode(bytes);
    const inits = new Map(model.graph!.initializer!.map((t) => [t.name!, t]));
    for (const name of [
      'model.0.conv.weight',
      'model.0.bn.weight',
      'model.0.bn.running_var',
      'model.2.m.0.cv1.conv.weight',
      'model.9.cv2.bn.bias',
      'model.21.cv2.conv.weight',
      'model.22.cv2.0.0.conv.weight',
      'model.22.cv2.2.2.bias',
      'model.22.cv3.1.2.weight',
    ]) {
      expect(inits.has(name), name).toBe(true);
    }
    expect(inits.get('model.0.conv.weight')!.dims!.map(Number)).toEqual([32, 3, 3, 3]);
    expect(inits.get('model.22.cv3.0.2.weight')!.dims!.map(Number)).toEqual([80, 128, 1, 1]);
    const dfl = inits.get('model.22.dfl.conv.weight')!;
    expect(dfl.dims!.map(Number)).toEqual([1, 16, 1, 1]);
    const raw = dfl.rawData!;
    expect(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)))).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
  });

  it("declares Ultralytics' export names, a dynamic batch, opset 17 and its metadata", () => {
    const info = readModelInfo(bytes, 'yolov8s.onnx');
    expect(info.opset).toBe(17);
    expect(info.inputs).toEqual([{ name: 'images', dims: ['batch', 3, 640, 640], elemType: 'float32' }]);
    expect(info.outputs).toEqual([{ name: 'output0', dims: ['batch', 84, 8400], elemType: 'float32' }]);
    expect(info.metadata).toMatchObject({
      stride: '32',
      task: 'detect',
      imgsz: '[640, 640]',
      'ocellus.model': 'yolov8s',
      'ocellus.weights': 'architecture-only',
      'ocellus.seed': String(SEED),
      'ocellus.note': YOLOV8S_NOTE,
    });
    expect(YOLOV8S_NOTE).toBe('architecture-only: seeded random weights, not trained; detections are meaningless');
    expect(info.metadata.names).toBe(formatNamesMetadata(COCO_LABELS));
    expect(info.metadata.names.startsWith("{0: 'person', 1: 'bicycle', 2: 'car',")).toBe(true);
    expect(info.metadata.names.endsWith("78: 'hair drier', 79: 'toothbrush'}")).toBe(true);
  });

  it('gives finite xywh boxes and sigmoid scores in (0, 1) that are not flat', () => {
    let nonFinite = 0;
    let zeros = 0;
    let minScore = 1;
    let maxScore = 0;
    for (let row = 0; row < 84; row++) {
      for (let a = 0; a < ANCHORS; a++) {
        const v = single[row * ANCHORS + a];
        if (!Number.isFinite(v)) nonFinite++;
        if (row < 4) continue;
        if (v === 0) zeros++;
        else minScore = Math.min(minScore, v);
        maxScore = Math.max(maxScore, v);
      }
    }
    expect(nonFinite).toBe(0);
    // onnxruntime's Sigmoid (MLAS) is accurate to ~3e-8 absolute, so a logit below about -17 (the class
    // prior is -11.5 at stride 8) comes out as exactly 0; that is the runtime's rounding, not a saturated net.
    expect(zeros).toBeLessThan(0.01 * 80 * ANCHORS);
    expect(minScore).toBeGreaterThan(0);
    expect(maxScore).toBeLessThan(1);
    // Not all 0.5 and not one value: within the stride-8 level (one bias prior) the photo spreads the logits.
    let low = 1;
    let high = 0;
    for (let c = 0; c < 80; c++) {
      for (const v of single.subarray((4 + c) * ANCHORS, (4 + c) * ANCHORS + 80 * 80)) {
        if (v > 0) low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
    const logit = (p: number) => Math.log(p / (1 - p));
    expect(logit(high) - logit(low)).toBeGreaterThan(3);
    // DFL distances are expectations over bins 0..15, so w and h lie in (0, 30 * stride].
    const wh = single.subarray(2 * ANCHORS, 4 * ANCHORS);
    expect(Math.min(...wh)).toBeGreaterThan(0);
    expect(Math.max(...wh)).toBeLessThanOrEqual(30 * 32);
    // Anchor 0 is the top-left cell of the stride-8 grid: its centre is (4, 4) shifted by at most 7.5 bins.
    expect(Math.abs(single[0] - 4)).toBeLessThanOrEqual(7.5 * 8);
    expect(Math.abs(single[ANCHORS] - 4)).toBeLessThanOrEqual(7.5 * 8);
  });

  it('runs a dynamic batch of 2, each image as it runs alone', async () => {
    const out = await run(session, [imageA, imageB]);
    expect(out.dims).toEqual([2, 84, ANCHORS]);
    const first = out.data.subarray(0, 84 * ANCHORS);
    const second = out.data.subarray(84 * ANCHORS);
    let maxDiff = 0;
    for (let i = 0; i < first.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(first[i] - single[i]) / (1 + Math.abs(single[i])));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(second.some((v, i) => Math.abs(v - first[i]) > 1e-3)).toBe(true);
  });

  it('is deterministic for a seed and different for another seed', async () => {
    expect(Buffer.from(buildYoloV8s(SEED).toBytes({ opsetVersion: 17 })).equals(Buffer.from(bytes))).toBe(true);
    const other = buildYoloV8s(SEED + 1).toBytes({ opsetVersion: 17 });
    expect(Buffer.from(other).equals(Buffer.from(bytes))).toBe(false);
    const otherSession = await InferenceSession.create(other, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const out = await run(otherSession, [imageA]);
      expect(out.data.some((v, i) => Math.abs(v - single[i]) > 1e-3)).toBe(true);
    } finally {
      await otherSession.release();
    }
  });
});

describe('COCO labels', () => {
  it("lists Ultralytics' 80 names in order", () => {
    expect(COCO_LABELS).toHaveLength(80);
    expect(COCO_LABELS.slice(0, 4)).toEqual(['person', 'bicycle', 'car', 'motorcycle']);
    expect(COCO_LABELS[9]).toBe('traffic light');
    expect(COCO_LABELS[79]).toBe('toothbrush');
    expect(new Set(COCO_LABELS).size).toBe(80);
  });

  it("formats names as Python's str(dict), quotes and backslashes escaped as repr() does", () => {
    expect(formatNamesMetadata(['a', 'b c'])).toBe("{0: 'a', 1: 'b c'}");
    expect(formatNamesMetadata(["it's", 'say "hi"', `both ' "`, 'back\\slash'])).toBe(
      `{0: "it's", 1: 'say "hi"', 2: 'both \\' "', 3: 'back\\\\slash'}`,
    );
    expect(formatNamesMetadata([])).toBe('{}');
  });
});
