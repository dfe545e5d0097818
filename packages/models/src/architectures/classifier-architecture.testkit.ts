import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { readModelInfo } from '../onnx/model-info.js';
import { ARCHITECTURE_ONLY_NOTE } from './torchvision-layers.js';
import { seededBatch, torchMissing, torchvisionLogits } from './torchvision-reference.js';

export interface ClassifierArchitecture {
  /** Our model name ('resnet50'), as in the file's metadata and file names. */
  readonly model: string;
  /** torchvision's builder name ('resnet50', 'mobilenet_v3_large'). */
  readonly torchvision: string;
  readonly build: (seed: number) => GraphBuilder;
  /** torchvision's parameter count. */
  readonly parameters: number;
  readonly seed: number;
}

/**
 * The tests every ImageNet classifier architecture we build must pass, declared inside the caller's
 * describe(): the exact parameter count, the file's signature and metadata, logits that are finite and
 * vary, and the same logits as torchvision with the same weights (max relative error 1e-4). Returns the
 * model bytes (after beforeAll) for the architecture's own tests.
 */
export function classifierArchitectureTests(a: ClassifierArchitecture): () => Uint8Array {
  const BATCH = 2;
  const missing = torchMissing();
  const input = seededBatch(a.seed, BATCH);
  let bytes: Uint8Array;
  let parameterCount: number;
  let logits: Float32Array;
  let session: InferenceSession | undefined;

  beforeAll(async () => {
    const g = a.build(a.seed);
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

  it(`has exactly torchvision ${a.torchvision}’s ${a.parameters.toLocaleString('en-US')} parameters`, () => {
    expect(parameterCount).toBe(a.parameters);
  });

  it('declares a dynamic batch, opset 17 and says it is architecture-only', () => {
    const info = readModelInfo(bytes, `${a.model}.onnx`);
    expect(info.inputs).toEqual([{ name: 'input', dims: ['batch', 3, 224, 224], elemType: 'float32' }]);
    expect(info.outputs).toEqual([{ name: 'logits', dims: ['batch', 1000], elemType: 'float32' }]);
    expect(info.opset).toBe(17);
    expect(info.metadata).toEqual({
      'ocellus.model': a.model,
      'ocellus.weights': 'architecture-only',
      'ocellus.seed': String(a.seed),
      'ocellus.note': ARCHITECTURE_ONLY_NOTE,
    });
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

  it.skipIf(missing)(
    `matches torchvision's ${a.torchvision} with the same weights${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      const reference = torchvisionLogits(bytes, a.torchvision, input);
      expect(reference.length).toBe(logits.length);
      let maxDiff = 0;
      let maxRef = 0;
      for (let i = 0; i < reference.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(logits[i] - reference[i]));
        maxRef = Math.max(maxRef, Math.abs(reference[i]));
      }
      const rel = maxDiff / maxRef;
      console.log(
        `${a.model}: max |onnxruntime - torchvision| / max |torchvision| = ${rel.toExponential(2)} (max ` +
          `|torchvision| ${maxRef.toFixed(3)})`,
      );
      expect(rel).toBeLessThanOrEqual(1e-4);
    },
  );

  return () => bytes;
}
