import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OFFICIAL_PARAMETER_COUNTS, exportModel, readModelInfo } from '@ocellus/models';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, run, tempDir } from '../test-io.js';
import { formatExport } from './export.js';

const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

afterAll(cleanTempDirs);

describe('ocellus export', () => {
  it('writes the model with the official parameter count, labelled architecture-only', async () => {
    const dir = await tempDir();
    const out = join(dir, 'mobilenetv3.onnx');
    const r = await run('export', 'mobilenetv3', '-o', out, '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*mobilenetv3\.onnx \(22\.\d MB\): mobilenetv3, 5,483,032 parameters \(the official count: 5,483,032\)\n/,
    );
    expect(r.stdout).toContain('weights: ARCHITECTURE-ONLY (seed 3)');
    expect(r.stderr).toBe('ocellus: warning: architecture-only weights: predictions are meaningless\n');
    expect(await readdir(dir)).toEqual(['mobilenetv3.onnx']);
    // Read back with the models package: the same bytes as exportModel gives, the metadata says what it is.
    const bytes = new Uint8Array(await readFile(out));
    const expected = await exportModel('mobilenetv3', { seed: 3 });
    expect(expected.parameters).toBe(OFFICIAL_PARAMETER_COUNTS.mobilenetv3);
    expect(Buffer.from(bytes).equals(Buffer.from(expected.bytes))).toBe(true);
    const info = readModelInfo(bytes, out);
    expect(info.metadata).toMatchObject({ 'ocellus.weights': 'architecture-only', 'ocellus.seed': '3' });
    expect(info.inputs[0]!.dims.slice(1)).toEqual([3, 224, 224]);
  });

  it('a directory that does not exist: exit 1 naming the file, nothing left behind', async () => {
    const dir = await tempDir();
    const out = join(dir, 'missing', 'm.onnx');
    const r = await run('export', 'mobilenetv3', '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(out);
    expect(r.stderr).not.toContain('bug');
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    [['export'], 'export: missing <model>'],
    [['export', 'vgg16', '-o', 'x.onnx'], "export: unknown model 'vgg16'"],
    [['export', 'resnet50'], 'export: missing -o <model.onnx>'],
    [['export', 'resnet50', '-o', 'x.png'], "the output 'x.png' must be an .onnx file"],
    [['export', 'resnet50', '-o', 'x.onnx', '--seed', 'abc'], '--seed must be a number'],
    [['export', 'resnet50', 'yolov8s', '-o', 'x.onnx'], "unexpected argument 'yolov8s'"],
  ])('%j exits 2: %s', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('says when the count differs from the official one', () => {
    const text = formatExport(
      'm.onnx',
      { bytes: new Uint8Array(2_500_000), parameters: 10, name: 'resnet50', seed: 0 },
      12,
    );
    expect(text).toMatch(/^wrote m\.onnx \(2\.5 MB\): resnet50, 10 parameters \(the official count is 12\)\n/);
  });

  it('runs from dist/bin.cjs', async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first (npx tsup)`);
    const dir = await tempDir();
    const r = spawnSync(process.execPath, [BIN, 'export', 'yolov8s', '-o', 'y.onnx'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('yolov8s, 11,166,560 parameters (the official count: 11,166,560)');
    expect(await readdir(dir)).toEqual(['y.onnx']);
  });
});
