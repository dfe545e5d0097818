import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';
import type { ClassifyJson } from './classify.js';

const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));
const PHOTOS = [join(IMAGES, 'grace_hopper.jpg'), join(IMAGES, 'dog.jpg')];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanTempDirs);

function checkEntries(entries: ClassifyJson[], images: string[], k: number): void {
  expect(entries.map((e) => e.image)).toEqual(images);
  for (const e of entries) {
    expect(Object.keys(e).sort()).toEqual(['image', 'top', 'weights']);
    expect(e.top).toHaveLength(k);
    for (const c of e.top) {
      expect(Object.keys(c).sort()).toEqual(['index', 'label', 'score']);
      expect(Number.isInteger(c.index) && c.index >= 0 && c.index < 1000).toBe(true);
      expect(typeof c.label).toBe('string');
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.score).toBeGreaterThan(0);
    }
    const scores = e.top.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
    expect(new Set(e.top.map((c) => c.index)).size).toBe(k);
  }
}

describe('ocellus classify --architecture-only', () => {
  it('keeps the other images when one cannot be read: its error in the JSON, exit 1', async () => {
    const missing = join(dir, 'missing.jpg');
    const pcls = join(dir, 'x.png');
    await writeFile(pcls, 'not a png');
    const r = await run(
      'classify',
      PHOTOS[0]!,
      missing,
      PHOTOS[1]!,
      pcls,
      '--model',
      'mobilenetv3',
      '--architecture-only',
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(1);
    const entries = JSON.parse(r.stdout) as (
      | ClassifyJson
      | { image: string; error: { code: string; message: string } }
    )[];
    expect(entries.map((e) => e.image)).toEqual([PHOTOS[0], missing, PHOTOS[1], pcls]);
    checkEntries([entries[0], entries[2]] as ClassifyJson[], [PHOTOS[0]!, PHOTOS[1]!], 5);
    expect(entries[1]).toEqual({
      image: missing,
      error: { code: 'ERR_OCELLUS_IMAGE_DECODE', message: `cannot read image '${missing}': no such file` },
    });
    expect((entries[3] as { error: { code: string } }).error.code).toBe('ERR_OCELLUS_IMAGE_DECODE');
    expect(r.stderr).toContain(`ocellus: cannot read image '${missing}': no such file`);
  });

  it('prints the documented JSON for two photos, with the weights labelled', async () => {
    const r = await run(
      'classify',
      ...PHOTOS,
      '--model',
      'mobilenetv3',
      '--architecture-only',
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('ocellus: warning: architecture-only weights: predictions are meaningless\n');
    const entries = JSON.parse(r.stdout) as ClassifyJson[];
    checkEntries(entries, PHOTOS, 5);
    for (const e of entries) {
      expect(e.weights).toMatchObject({ kind: 'architecture-only', seed: 0 });
      expect(e.weights.note).toMatch(/meaningless/);
    }
    // Different photos, different scores: the image reaches the model.
    expect(entries[0]!.top).not.toEqual(entries[1]!.top);
  });

  it('prints one block per image, says the weights are architecture-only, and --seed changes them', async () => {
    const r = await run(
      'classify',
      PHOTOS[0]!,
      '--model',
      'mobilenetv3',
      '--architecture-only',
      '--seed',
      '7',
      '--top',
      '3',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^weights: ARCHITECTURE-ONLY \(.*seed 7\): predictions are meaningless$/);
    expect(lines).toContain(PHOTOS[0]);
    expect(lines.filter((l) => /^ {2}\d\. +0\.\d{4} {2}.+ \(\d+\)$/.test(l))).toHaveLength(3);
    const seed0 = JSON.parse(
      (
        await run(
          'classify',
          PHOTOS[0]!,
          '--model',
          'mobilenetv3',
          '--architecture-only',
          '--top',
          '3',
          '--json',
          '--backend',
          'cpu',
        )
      ).stdout,
    );
    const seed7 = JSON.parse(
      (
        await run(
          'classify',
          PHOTOS[0]!,
          '--model',
          'mobilenetv3',
          '--architecture-only',
          '--seed',
          '7',
          '--top',
          '3',
          '--json',
          '--backend',
          'cpu',
        )
      ).stdout,
    );
    expect(seed7[0].weights.seed).toBe(7);
    expect(seed7[0].top).not.toEqual(seed0[0].top);
  });

  it('labels a model written by `ocellus export` as architecture-only when it is passed with --weights', async () => {
    const model = join(dir, 'mnv3.onnx');
    expect((await run('export', 'mobilenetv3', '-o', model)).code).toBe(0);
    const r = await run(
      'classify',
      PHOTOS[1]!,
      '--model',
      'mobilenetv3',
      '--weights',
      model,
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('architecture-only weights: predictions are meaningless');
    const [entry] = JSON.parse(r.stdout) as ClassifyJson[];
    expect(entry!.weights).toMatchObject({ kind: 'architecture-only', source: model, seed: 0 });
    checkEntries([entry!], [PHOTOS[1]!], 5);
  });
});

describe('ocellus classify errors', () => {
  it('without --weights exits 2 and explains how to export real weights', async () => {
    const r = await run('classify', PHOTOS[0]!, '--model', 'resnet50', '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ocellus: classify: missing --weights <model.onnx>');
    expect(r.stderr).toContain('torchvision.models.resnet50(weights="IMAGENET1K_V1")');
    expect(r.stderr).toContain('torch.onnx.export(');
    expect(r.stderr).toContain('--architecture-only');
    expect(r.stderr).toContain('Usage: ocellus');
  });

  it('a --weights file that is not a model exits 1 naming the file', async () => {
    const text = join(dir, 'notes.onnx');
    await writeFile(text, 'these are not the weights you are looking for\n');
    const r = await run('classify', PHOTOS[0]!, '--model', 'resnet50', '--weights', text, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`ocellus: '${text}' is not an ONNX model`);
    expect(r.stderr).not.toContain('bug');
    const missing = await run(
      'classify',
      PHOTOS[0]!,
      '--model',
      'resnet50',
      '--weights',
      join(dir, 'missing.onnx'),
      '--backend',
      'cpu',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read model file '${join(dir, 'missing.onnx')}': no such file`);
  });

  it('an unreadable image exits 1 naming it', async () => {
    const r = await run(
      'classify',
      join(dir, 'nope.jpg'),
      '--model',
      'mobilenetv3',
      '--architecture-only',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read image '${join(dir, 'nope.jpg')}': no such file`);
  });

  it.each([
    [['classify', '--model', 'resnet50', '--architecture-only'], 'classify: missing <image>'],
    [['classify', 'a.jpg', '--architecture-only'], 'classify: missing --model: resnet50 or mobilenetv3'],
    [['classify', 'a.jpg', '--model', 'vgg', '--architecture-only'], "classify: unknown --model 'vgg'"],
    [['classify', 'a.jpg', '--model', 'yolov8s', '--architecture-only'], 'ocellus detect'],
    [
      ['classify', 'a.jpg', '--model', 'resnet50', '--architecture-only', '--top', '0'],
      'classify: --top must be at least 1',
    ],
    [
      ['classify', 'a.jpg', '--model', 'resnet50', '--architecture-only', '--top', '2.5'],
      'classify: --top must be an integer',
    ],
    [['classify', 'a.jpg', '--model', 'resnet50', '--weights', 'm.onnx', '--architecture-only'], 'not both'],
    [
      ['classify', 'a.jpg', '--model', 'resnet50', '--weights', 'm.onnx', '--seed', '1'],
      '--seed only applies to --architecture-only',
    ],
    [['classify', 'a.jpg', '--model', 'resnet50', '--architecture-only', '--seed=-1'], '--seed must be at least 0'],
  ])('%j exits 2: %s', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('runs from dist/bin.cjs: JSON on stdout, the warning on stderr, exit 0', () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first (npx tsup)`);
    const r = spawnSync(
      process.execPath,
      [BIN, 'classify', PHOTOS[0]!, '--model', 'resnet50', '--architecture-only', '--json', '--backend', 'cpu'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.stderr).toBe('ocellus: warning: architecture-only weights: predictions are meaningless\n');
    expect(r.status).toBe(0);
    checkEntries(JSON.parse(r.stdout), [PHOTOS[0]!], 5);
  });
});
