// A model written by torchvision's own exporter (torch.onnx.export), not by Ocellus' ONNX writer,
// loads and classifies through the CLI: the "model files users bring" path.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';
import type { ClassifyJson } from './classify.js';

const SCRIPT = resolve(__dirname, '../../../../scripts/torchvision_reference.py');
const torchMissing =
  spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status === 0
    ? undefined
    : 'torchvision reference unavailable (/usr/bin/python3 cannot import torch, torchvision): apt-get ' +
      'install python3-torch python3-torchvision';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanTempDirs);

describe('ocellus classify with a torchvision-exported model', () => {
  it.skipIf(torchMissing)(`classifies photos with it${torchMissing ? ` (skipped: ${torchMissing})` : ''}`, async () => {
    const model = join(dir, 'mobilenet_v3_large.torchvision.onnx');
    const exported = spawnSync(
      '/usr/bin/python3',
      [SCRIPT, 'export', '--model', 'mobilenet_v3_large', '--seed', '3', '--output', model],
      {
        encoding: 'utf8',
      },
    );
    expect(exported.status, exported.stderr).toBe(0);
    const photos = [join(IMAGES, 'grace_hopper.jpg'), join(IMAGES, 'skimage_chelsea.png')];
    const r = await run(
      'classify',
      ...photos,
      '--model',
      'mobilenetv3',
      '--weights',
      model,
      '--top',
      '3',
      '--json',
      '--backend',
      'cpu',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // user weights: no architecture-only warning
    const entries = JSON.parse(r.stdout) as ClassifyJson[];
    expect(entries.map((e) => e.image)).toEqual(photos);
    for (const e of entries) {
      expect(e.weights.kind).toBe('user');
      expect(e.top).toHaveLength(3);
      expect(e.top.every((c) => c.index >= 0 && c.index < 1000 && c.score > 0 && c.label.length > 0)).toBe(true);
    }
    expect(entries[0]!.top.map((c) => c.score)).not.toEqual(entries[1]!.top.map((c) => c.score));
  });
});
