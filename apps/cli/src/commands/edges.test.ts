import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type CannyAttrs, canny, decodeImage, gaussianBlur, grayscale, openDevice, readImage } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';

afterAll(cleanTempDirs);

/** What core computes for canny([gaussianBlur](grayscale(image))), as bytes. */
async function expectedEdges(path: string, attrs: Partial<CannyAttrs>, blur = 0): Promise<Uint8Array> {
  const device = await openDevice('cpu');
  try {
    const gray = grayscale(await readImage(device, path));
    return (await canny(blur ? gaussianBlur(gray, { ksize: blur }) : gray, attrs).data()) as Uint8Array;
  } finally {
    await device.close();
  }
}

describe('ocellus edges', () => {
  it.each([
    ['opencv_sudoku.png', [], {}, 0],
    ['dog.jpg', [], {}, 0],
    ['skimage_camera.png', ['--low', '30', '--high', '90.5', '--l2'], { low: 30, high: 90.5, l2: true }, 0],
    ['person.jpg', ['--blur', '5', '--low=20'], { low: 20 }, 5],
  ] as const)('%s %j equals core canny(grayscale(img))', async (file, flags, attrs, blur) => {
    const dir = await tempDir();
    const out = join(dir, 'edges.png');
    const r = await run('edges', join(IMAGES, file), '-o', out, '--backend', 'cpu', ...flags);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const img = await decodeImage(out, { mode: 'unchanged' });
    const source = await decodeImage(join(IMAGES, file));
    expect([img.width, img.height, img.channels]).toEqual([source.width, source.height, 1]);
    const expected = await expectedEdges(join(IMAGES, file), attrs, blur);
    expect(Buffer.from(img.data).equals(Buffer.from(expected))).toBe(true);
    // An edge map: only 0 and 255, and some of each on a real photograph.
    const values = new Set(img.data);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
    expect(await readdir(dir)).toEqual(['edges.png']);
  });

  it('thresholds change the result (the flags reach the op)', async () => {
    const dir = await tempDir();
    const input = join(IMAGES, 'opencv_sudoku.png');
    await run('edges', input, '-o', join(dir, 'a.png'), '--backend', 'cpu');
    await run('edges', input, '-o', join(dir, 'b.png'), '--backend', 'cpu', '--low', '200', '--high', '400');
    const count = (d: Uint8Array) => d.reduce((n, v) => n + (v ? 1 : 0), 0);
    const a = await decodeImage(join(dir, 'a.png'), { mode: 'unchanged' });
    const b = await decodeImage(join(dir, 'b.png'), { mode: 'unchanged' });
    expect(count(b.data)).toBeLessThan(count(a.data));
  });
});
