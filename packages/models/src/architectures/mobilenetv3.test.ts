import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readModelInfo } from '../onnx/model-info.js';
import { classifierArchitectureTests } from './classifier-architecture.testkit.js';
import { buildMobileNetV3Large } from './mobilenetv3.js';
import { torchExport, torchMissing } from './torchvision-reference.js';

const SEED = 7;
const missing = torchMissing();

describe('MobileNetV3-Large (torchvision), architecture-only weights', () => {
  const model = classifierArchitectureTests({
    model: 'mobilenetv3',
    torchvision: 'mobilenet_v3_large',
    build: buildMobileNetV3Large,
    parameters: 5_483_032,
    seed: SEED,
  });

  it('is reproducible from its seed, and another seed gives other weights', () => {
    const bytes = model();
    const again = buildMobileNetV3Large(SEED).toBytes();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const other = buildMobileNetV3Large(SEED + 1).toBytes();
    expect(other.length).toBe(bytes.length);
    expect(Buffer.from(other).equals(Buffer.from(bytes))).toBe(false);
  });

  it.skipIf(missing)(
    `reads a model written by torch.onnx.export${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
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
    },
  );
});
