import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DTypeError,
  ImageDecodeError,
  ImageEncodeError,
  decodeImage,
  encodeImage,
  openDevice,
  readImage,
  writeImage,
} from '../index.js';

const IMAGES = resolve(__dirname, '../../../../../shared/images');
const dir = mkdtempSync(join(tmpdir(), 'ocellus-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('image decode', () => {
  it('decodes JPEG and PNG photos to uint8 HWC, RGB by default', async () => {
    const jpg = await decodeImage(join(IMAGES, 'grace_hopper.jpg'));
    expect([jpg.height, jpg.width, jpg.channels]).toEqual([600, 512, 3]);
    expect(jpg.data.length).toBe(600 * 512 * 3);
    const grey = await decodeImage(join(IMAGES, 'skimage_camera.png'));
    expect([grey.height, grey.width, grey.channels]).toEqual([512, 512, 3]);
    const raw = await decodeImage(join(IMAGES, 'skimage_camera.png'), { mode: 'unchanged' });
    expect(raw.channels).toBe(1);
    // a grey PNG expanded to RGB repeats the grey value
    expect([grey.data[0], grey.data[1], grey.data[2]]).toEqual([raw.data[0], raw.data[0], raw.data[0]]);
    const rgba = await decodeImage(join(IMAGES, 'skimage_chelsea.png'), { mode: 'rgba' });
    expect(rgba.channels).toBe(4);
    expect(rgba.data[3]).toBe(255);
  });

  it('round-trips pixels losslessly through PNG; lossy WebP stays close', async () => {
    const img = await decodeImage(join(IMAGES, 'skimage_chelsea.png'));
    const png = await encodeImage(img, 'png');
    const back = await decodeImage(png);
    expect(Buffer.compare(Buffer.from(back.data), Buffer.from(img.data))).toBe(0);
    const webp = await decodeImage(await encodeImage(img, 'webp', { quality: 95 }), { name: 'x.webp' });
    expect([webp.width, webp.height, webp.channels]).toEqual([img.width, img.height, 3]);
    let err = 0;
    for (let i = 0; i < img.data.length; i++) err += Math.abs(img.data[i]! - webp.data[i]!);
    expect(err / img.data.length).toBeLessThan(4);
  });

  const bad: [string, () => Uint8Array | string, RegExp][] = [
    ['missing file', () => join(dir, 'nope.jpg'), /cannot read image '.*nope\.jpg': no such file/],
    ['directory', () => dir, /cannot read image '.*': it is a directory/],
    ['zero-byte file', () => file('empty.png', new Uint8Array(0)), /image '.*empty\.png' is empty \(0 bytes\)/],
    [
      'text file',
      () => file('notes.jpg', new TextEncoder().encode('hello, not an image\n')),
      /'.*notes\.jpg': not a JPEG, PNG or WebP image/,
    ],
    [
      'truncated JPEG',
      () => file('cut.jpg', readFileSync(join(IMAGES, 'dog.jpg')).subarray(0, 30000)),
      /cannot decode image '.*cut\.jpg': the file is truncated or corrupt/,
    ],
    [
      'truncated PNG',
      () => file('cut.png', readFileSync(join(IMAGES, 'skimage_coffee.png')).subarray(0, 40000)),
      /cannot decode image '.*cut\.png'/,
    ],
    [
      'corrupt JPEG body',
      () => file('noise.jpg', corrupt(readFileSync(join(IMAGES, 'person.jpg')))),
      /cannot decode image '.*noise\.jpg'/,
    ],
  ];
  for (const [name, make, message] of bad) {
    it(`names the file for a ${name}`, async () => {
      const err = await decodeImage(make()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageDecodeError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it('reads straight into a tensor on a device', async () => {
    const d = await openDevice('cpu', { discover: false });
    const t = await readImage(d, join(IMAGES, 'person.jpg'));
    expect(t.shape).toEqual([424, 640, 3]);
    expect(t.dtype).toBe('uint8');
    await d.close();
  });
});

describe('image write', () => {
  it('writes atomically: no temp file left, an existing file kept when encoding fails', async () => {
    const d = await openDevice('cpu', { discover: false });
    const t = d.tensor(new Uint8Array(8 * 6).fill(200), [8, 6, 1]);
    const out = join(dir, 'ok.png');
    await writeImage(out, t);
    const decoded = await decodeImage(out, { mode: 'unchanged' });
    expect([decoded.width, decoded.height, decoded.channels, decoded.data[0]]).toEqual([6, 8, 1, 200]);

    const keep = join(dir, 'keep.png');
    writeFileSync(keep, 'previous');
    await expect(writeImage(keep, d.empty('float32', [2, 2, 1]))).rejects.toThrow(DTypeError);
    await expect(writeImage(keep, d.empty('uint8', [2, 2, 5]))).rejects.toThrow(
      /must be \[height, width, 1-4 channels\]/,
    );
    await expect(writeImage(join(dir, 'x.bmp'), t)).rejects.toThrow(ImageEncodeError);
    await expect(writeImage(join(dir, 'missing-dir', 'y.png'), t)).rejects.toThrow(/cannot write image '.*y\.png'/);
    expect(readFileSync(keep, 'utf8')).toBe('previous');
    expect(existsSync(join(dir, 'x.bmp'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('ocellus-tmp'))).toEqual([]);
    await d.close();
  });
});

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Keeps the JPEG headers, overwrites the entropy-coded data with noise and cuts the end marker. */
function corrupt(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  let s = 7;
  for (let i = 2000; i < out.length - 2; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  return out;
}
