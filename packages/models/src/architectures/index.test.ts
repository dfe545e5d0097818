import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcellusError } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelInfo } from '../onnx/model-info.js';
import type { ModelName } from '../types.js';
import {
  EXPORT_OPSET,
  exportModel,
  ModelWriteError,
  OFFICIAL_PARAMETER_COUNTS,
  UnknownModelError,
  writeModelFile,
} from './index.js';

describe('exportModel', () => {
  it('lists the official parameter counts of the reference implementations', () => {
    expect(OFFICIAL_PARAMETER_COUNTS).toEqual({ resnet50: 25_557_032, mobilenetv3: 5_483_032, yolov8s: 11_166_560 });
  });

  // One at a time: each model is built, checked and dropped before the next (ResNet-50 alone is ~100 MB).
  for (const name of ['resnet50', 'mobilenetv3', 'yolov8s'] as const) {
    it(`builds ${name} with exactly the official parameter count, labelled architecture-only`, async () => {
      const model = await exportModel(name, { seed: 3 });
      expect(model.name).toBe(name);
      expect(model.seed).toBe(3);
      expect(model.parameters).toBe(OFFICIAL_PARAMETER_COUNTS[name]);
      // float32 weights: the file is at least 4 bytes per parameter
      expect(model.bytes.byteLength).toBeGreaterThan(4 * model.parameters);
      const info = readModelInfo(model.bytes, `${name}.onnx`);
      expect(info.opset).toBe(EXPORT_OPSET);
      expect(info.metadata).toMatchObject({
        'ocellus.model': name,
        'ocellus.weights': 'architecture-only',
        'ocellus.seed': '3',
      });
    });
  }

  it('uses seed 0 by default', async () => {
    const model = await exportModel('mobilenetv3');
    expect(model.seed).toBe(0);
    expect(readModelInfo(model.bytes).metadata['ocellus.seed']).toBe('0');
  });

  it('rejects an unknown name with UnknownModelError naming the known ones', async () => {
    for (const bad of ['yolov5s', 'toString', '__proto__', '']) {
      const err = await exportModel(bad as ModelName).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownModelError);
      expect(err).toBeInstanceOf(OcellusError);
      expect((err as UnknownModelError).code).toBe('ERR_OCELLUS_UNKNOWN_MODEL');
      expect((err as Error).message).toContain('resnet50, mobilenetv3, yolov8s');
    }
  });

  it('rejects a seed the file could not name exactly', async () => {
    await expect(exportModel('yolov8s', { seed: 1.5 })).rejects.toThrow(RangeError);
    await expect(exportModel('yolov8s', { seed: Number.NaN })).rejects.toThrow(RangeError);
  });
});

describe('writeModelFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes, replaces an existing file whole, and leaves no temp file', async () => {
    const path = join(dir, 'model.onnx');
    writeFileSync(path, 'old contents');
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
    await writeModelFile(path, bytes);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });

  it('fails with ModelWriteError, leaving the target and the directory as they were', async () => {
    const sub = join(dir, 'fail');
    mkdirSync(sub);
    // The target is a directory: the temp file is written, then the rename fails.
    mkdirSync(join(sub, 'model.onnx'));
    const err = await writeModelFile(join(sub, 'model.onnx'), new Uint8Array(10)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelWriteError);
    expect((err as ModelWriteError).code).toBe('ERR_OCELLUS_MODEL_WRITE');
    expect((err as Error).message).toContain(join(sub, 'model.onnx'));
    expect(readdirSync(sub)).toEqual(['model.onnx']);
    expect(readdirSync(join(sub, 'model.onnx'))).toEqual([]);
  });

  it('fails with ModelWriteError when the directory does not exist', async () => {
    const path = join(dir, 'missing', 'model.onnx');
    await expect(writeModelFile(path, new Uint8Array(10))).rejects.toThrow(ModelWriteError);
  });
});
