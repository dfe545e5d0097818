import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage, grayscale, openDevice, readImage } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';

afterAll(cleanTempDirs);

/** What core computes for grayscale(image), as bytes. */
async function expectedGray(path: string): Promise<Uint8Array> {
  const device = await openDevice('cpu');
  try {
    return (await grayscale(await readImage(device, path)).data()) as Uint8Array;
  } finally {
    await device.close();
  }
}

describe('ocellus gray', () => {
  it.each([
    ['dog.jpg', 768, 576],
    ['skimage_astronaut.png', 512, 512],
    ['skimage_camera.png', 512, 512], // already grey: decoded as RGB, then back to one channel
  ])('%s -> one-channel PNG equal to core grayscale', async (file, width, height) => {
    const dir = await tempDir();
    const out = join(dir, 'out.png');
    const r = await run('gray', join(IMAGES, file), '-o', out, '--backend', 'cpu');
    expect(r).toEqual({ code: 0, stdout: `${out}\n`, stderr: '' });
    const img = await decodeImage(out, { mode: 'unchanged' });
    expect([img.width, img.height, img.channels]).toEqual([width, height, 1]);
    expect(Buffer.from(img.data).equals(Buffer.from(await expectedGray(join(IMAGES, file))))).toBe(true);
    expect(await readdir(dir)).toEqual(['out.png']);
  });

  it('replaces an existing output', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out.png');
    expect((await run('gray', join(IMAGES, 'dog.jpg'), '-o', out, '--backend', 'cpu')).code).toBe(0);
    expect((await run('gray', join(IMAGES, 'skimage_chelsea.png'), '-o', out, '--backend', 'cpu')).code).toBe(0);
    const img = await decodeImage(out, { mode: 'unchanged' });
    expect([img.width, img.height]).toEqual([451, 300]);
  });
});
