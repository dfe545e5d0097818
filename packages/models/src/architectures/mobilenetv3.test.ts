import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelInfo } from '../onnx/model-info.js';
import { buildMobileNetV3Large } from './mobilenetv3.js';
import { ARCHITECTURE_ONLY_NOTE } from './torchvision-layers.js';
import { seededBatch, torchExport, torchMissing, torchvisionLogits } from './torchvision-reference.js';

const SEED = 7;
const BATCH = 2;
const missing = torchMissing();

describe('MobileNetV3-Large (torchvision), architecture-only weights', () => {
  let bytes: Uint8Array;
  let parameterCount: number;
  let logits: Float32Array;
  let session: InferenceSession | undefined;
  const input = seededBatch(SEED, BATCH);

  beforeAll(async () => {
    const g = buildMobileNetV3Large(SEED);
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

  it('has exactly torchvision mobilenet_v3_large’s 5,483,032 parameters', () => {
    expect(parameterCount).toBe(5_483_032);
  });

  it('declares a dynamic batch, opset 17 and says it is architecture-only', () => {
    const info = readModelInfo(bytes, 'mobilenetv3.onnx');
    expect(info.inputs).toEqual([{ name: 'input', dims: ['batch', 3, 224, 224], elemType: 'float32' }]);
    expect(info.outputs).toEqual([{ name: 'logits', dims: ['batch', 1000], elemType: 'float32' }]);
    expect(info.opset).toBe(17);
    expect(info.metadata).toEqual({
      'ocellus.model': 'mobilenetv3',
      'ocellus.weights': 'architecture-only',
      'ocellus.seed': String(SEED),
      'ocellus.note': ARCHITECTURE_ONLY_NOTE,
    });
  });

  it('is reproducible from its seed, and another seed gives other weights', () => {
    const again = buildMobileNetV3Large(SEED).toBytes();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const other = buildMobileNetV3Large(SEED + 1).toBytes();
    expect(other.length).toBe(bytes.length);
    expect(Buffer.from(other).equals(Buffer.from(bytes))).toBe(false);
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

  it.skipIf(missing)(`matches torchvision's mobilenet_v3_large with the same weights${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const reference = torchvisionLogits(bytes, 'mobilenet_v3_large', input);
    expect(reference.length).toBe(logits.length);
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(logits[i] - reference[i]));
      maxRef = Math.max(maxRef, Math.abs(reference[i]));
    }
    const rel = maxDiff / maxRef;
    console.log(`mobilenetv3: max |onnxruntime - torchvision| / max |torchvision| = ${rel.toExponential(2)} (max |torchvision| ${maxRef.toFixed(3)})`);
    expect(rel).toBeLessThanOrEqual(1e-4);
  });

  it.skipIf(missing)(`reads a model written by torch.onnx.export${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-tvexport-'));
    try {
      const path = join(dir, 'mobilenet_v3_large.onnx');
      torchExport('mobilenet_v3_large', 0, path);
      const exported = readFileSync(path);
      const info = readModelInfo(exported, 'mobilenet_v3_large.onnx');
      expect(info.inputs).toEqual([{ name: 'input', dims: ['batch', 3, 224, 224], elemType: 'float32' }]);
      expect(info.outputs).toEqual([{ name: 'logits', dims: ['batch', 1000], elemType: 'float32' }]);
      expect(info.opset).toBe(17);
      expect(info.producer).toBe('pytorch');
      const s = await InferenceSession.create(exported, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      await s.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
