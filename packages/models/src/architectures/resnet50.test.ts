import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, readModelInfo } from '../onnx/model-info.js';
import { buildResNet50 } from './resnet50.js';
import { ARCHITECTURE_ONLY_NOTE } from './torchvision-layers.js';
import { seededBatch, torchMissing, torchvisionLogits } from './torchvision-reference.js';

const SEED = 7;
const BATCH = 2;
const missing = torchMissing();

describe('ResNet-50 (torchvision v1.5 layout), architecture-only weights', () => {
  let bytes: Uint8Array;
  let parameterCount: number;
  let logits: Float32Array;
  let session: InferenceSession | undefined;
  const input = seededBatch(SEED, BATCH);

  beforeAll(async () => {
    const g = buildResNet50(SEED);
    parameterCount = g.parameterCount;
    bytes = g.toBytes();
    session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const out = await session.run({ input: new Tensor('float32', input, [BATCH, 3, 224, 224]) });
    expect(out.logits.dims).toEqual([BATCH, 1000]);
    logits = out.logits.data as Float32Array;
  });
  afterAll(async () => {
    await session?.release();
  });

  it('has exactly torchvision resnet50’s 25,557,032 parameters', () => {
    expect(parameterCount).toBe(25_557_032);
  });

  it('declares a dynamic batch, opset 17 and says it is architecture-only', () => {
    const info = readModelInfo(bytes, 'resnet50.onnx');
    expect(info.inputs).toEqual([{ name: 'input', dims: ['batch', 3, 224, 224], elemType: 'float32' }]);
    expect(info.outputs).toEqual([{ name: 'logits', dims: ['batch', 1000], elemType: 'float32' }]);
    expect(info.opset).toBe(17);
    expect(info.metadata).toEqual({
      'ocellus.model': 'resnet50',
      'ocellus.weights': 'architecture-only',
      'ocellus.seed': String(SEED),
      'ocellus.note': ARCHITECTURE_ONLY_NOTE,
    });
  });

  it('names half of the file as truncated', () => {
    expect(() => readModelInfo(bytes.subarray(0, bytes.length >> 1), 'resnet50.onnx')).toThrow(ModelFileError);
    expect(() => readModelInfo(bytes.subarray(0, bytes.length >> 1), 'resnet50.onnx')).toThrow(/^'resnet50.onnx' is truncated/);
  });

  it('gives finite logits that vary across classes and between images', () => {
    expect(logits.every(Number.isFinite)).toBe(true);
    const first = logits.subarray(0, 1000);
    const second = logits.subarray(1000);
    const spread = Math.max(...first) - Math.min(...first);
    expect(spread).toBeGreaterThan(0.1);
    const between = Math.max(...first.map((v, i) => Math.abs(v - second[i])));
    expect(between).toBeGreaterThan(0.05 * spread);
  });

  it.skipIf(missing)(`matches torchvision's resnet50 with the same weights${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const reference = torchvisionLogits(bytes, 'resnet50', input);
    expect(reference.length).toBe(logits.length);
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(logits[i] - reference[i]));
      maxRef = Math.max(maxRef, Math.abs(reference[i]));
    }
    const rel = maxDiff / maxRef;
    console.log(`resnet50: max |onnxruntime - torchvision| / max |torchvision| = ${rel.toExponential(2)} (max |torchvision| ${maxRef.toFixed(3)})`);
    expect(rel).toBeLessThanOrEqual(1e-4);
  });
});
