import { copyFile, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { decodeImage } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';
import { demoOutputs, findDefaultImage } from './demo.js';

afterAll(cleanTempDirs);

describe('ocellus demo', () => {
  it('lists devices, writes <name>.gray.png and <name>.edges.png beside the image, times each step', async () => {
    const dir = await tempDir();
    const image = join(dir, 'grace_hopper.jpg');
    await copyFile(join(IMAGES, 'grace_hopper.jpg'), image);
    const r = await run('demo', image, '--backend', 'cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const gray = join(dir, 'grace_hopper.gray.png');
    const edges = join(dir, 'grace_hopper.edges.png');
    expect((await readdir(dir)).sort()).toEqual([
      'grace_hopper.edges.png',
      'grace_hopper.gray.png',
      'grace_hopper.jpg',
    ]);
    expect(r.stdout).toMatch(/^Devices:\n {2}/);
    expect(r.stdout).toMatch(/^ {2}cpu +available$/m);
    for (const step of ['read', 'grayscale', 'write gray', 'canny', 'write edges', 'total']) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${step} +\\d+\\.\\d ms$`, 'm'));
    }
    expect(r.stdout).toContain(`Wrote:\n  ${gray}\n  ${edges}\n`);
    const source = await decodeImage(image);
    for (const out of [gray, edges]) {
      const img = await decodeImage(out, { mode: 'unchanged' });
      expect([img.width, img.height, img.channels]).toEqual([source.width, source.height, 1]);
    }
  });

  it('names outputs after the image', () => {
    expect(demoOutputs(join('a', 'b', 'photo.v2.jpeg'))).toEqual({
      grayPath: join('a', 'b', 'photo.v2.gray.png'),
      edgesPath: join('a', 'b', 'photo.v2.edges.png'),
    });
  });

  it('finds the repository sample image by default', () => {
    const found = findDefaultImage();
    expect(found).toBeDefined();
    expect(found!.endsWith(`${sep}samples${sep}grace_hopper.jpg`)).toBe(true);
    expect(existsSync(found!)).toBe(true);
  });
});
