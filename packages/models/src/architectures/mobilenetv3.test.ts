import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelInfo } from '../onnx/model-info.js';
import { buildMobileNetV3Large } from './mobilenetv3.js';
import { SeededRandom } from './random.js';
import { ARCHITECTURE_ONLY_NOTE } from './torchvision-layers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../scripts/torchvision_reference.py');
const SEED = 7;
const BATCH = 2;

function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision, onnx'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${PYTHON} cannot import torch, torchvision and onnx (apt-get install python3-torchvision python3-onnx)`;
}
const missing = torchMissing();

/** Two different images: seeded noise, and a smooth pattern under light noise (so pooled features differ). */
function seededBatch(): Float32Array {
  const rng = new SeededRandom(SEED);
  const hw = 224 * 224;
  const data = new Float32Array(BATCH * 3 * hw);
  for (let i = 0; i < 3 * hw; i++) data[i] = rng.normal();
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        data[3 * hw + c * hw + y * 224 + x] = Math.sin((x * (c + 1)) / 20) * Math.cos(y / 30) + 0.3 * rng.normal();
      }
    }
  }
  return data;
}

/** scripts/torchvision_reference.py: torchvision's mobilenet_v3_large with our initializers, on the same input. */
function torchvisionLogits(model: Uint8Array, input: Float32Array): Float32Array {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-tvref-'));
  try {
    writeFileSync(join(dir, 'model.onnx'), model);
    writeFileSync(join(dir, 'input.f32'), input);
    const args = [SCRIPT, 'logits', '--onnx', join(dir, 'model.onnx'), '--model', 'mobilenet_v3_large'];
    const r = spawnSync(PYTHON, [...args, '--input', join(dir, 'input.f32'), '--output', join(dir, 'logits.f32')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`torchvision_reference.py failed (${r.status}): ${r.stderr}`);
    const raw = readFileSync(join(dir, 'logits.f32'));
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** scripts/torchvision_reference.py export: a file written by torch.onnx.export, not by our writer. */
function torchExport(path: string): void {
  const r = spawnSync(PYTHON, [SCRIPT, 'export', '--model', 'mobilenet_v3_large', '--seed', '0', '--output', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torchvision_reference.py export failed (${r.status}): ${r.stderr}`);
}

describe('MobileNetV3-Large (torchvision), architecture-only weights', () => {
  let bytes: Uint8Array;
  let parameterCount: number;
  let logits: Float32Array;
  let session: InferenceSession | undefined;
  const input = seededBatch();

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
    const reference = torchvisionLogits(bytes, input);
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
      torchExport(path);
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
