/**
 * Test helpers around scripts/torchvision_reference.py (Debian's python3-torch/torchvision): the
 * independent reference the classification architectures are checked against.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SeededRandom } from './random.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../scripts/torchvision_reference.py');

/** Why the reference cannot run here, or undefined when it can. */
export function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision, onnx'], { encoding: 'utf8' });
  return r.status === 0
    ? undefined
    : `${PYTHON} cannot import torch, torchvision and onnx (apt-get install python3-torchvision python3-onnx)`;
}

/** A [batch, 3, 224, 224] input: seeded noise, then smooth patterns under light noise (so pooled features differ). */
export function seededBatch(seed: number, batch: number): Float32Array {
  const rng = new SeededRandom(seed);
  const hw = 224 * 224;
  const data = new Float32Array(batch * 3 * hw);
  for (let i = 0; i < 3 * hw; i++) data[i] = rng.normal();
  for (let b = 1; b < batch; b++) {
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 224; y++) {
        for (let x = 0; x < 224; x++) {
          data[b * 3 * hw + c * hw + y * 224 + x] =
            Math.sin((x * (c + b)) / 20) * Math.cos(y / 30) + 0.3 * rng.normal();
        }
      }
    }
  }
  return data;
}

/** torchvision's `model` (resnet50 | mobilenet_v3_large) with our file's initializers, on the same input. */
export function torchvisionLogits(model: Uint8Array, torchvisionName: string, input: Float32Array): Float32Array {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-tvref-'));
  try {
    writeFileSync(join(dir, 'model.onnx'), model);
    writeFileSync(join(dir, 'input.f32'), input);
    const args = [SCRIPT, 'logits', '--onnx', join(dir, 'model.onnx'), '--model', torchvisionName];
    const r = spawnSync(PYTHON, [...args, '--input', join(dir, 'input.f32'), '--output', join(dir, 'logits.f32')], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`torchvision_reference.py failed (${r.status}): ${r.stderr}`);
    const raw = readFileSync(join(dir, 'logits.f32'));
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A file written by torch.onnx.export (torchvision's own init, seeded), not by our writer. */
export function torchExport(torchvisionName: string, seed: number, path: string): void {
  const r = spawnSync(
    PYTHON,
    [SCRIPT, 'export', '--model', torchvisionName, '--seed', String(seed), '--output', path],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`torchvision_reference.py export failed (${r.status}): ${r.stderr}`);
}
