import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agreement, agreement } from '../../../test/agreement.js';
import { SHARED_IMAGES, openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type Device, type SobelAttrs, type Tensor, grayscale, openDevice, readImage, sobel } from '../../index.js';

// The CPU kernel must equal cv2.Sobel(img, CV_32F, dx, dy, ksize=3, borderType) exactly: the results are
// small integers, so any difference at all is a bug (a wrong tap, sign or border index).
const missing = openCVMissing();
const skipNote = missing ? ` (skipped: ${missing})` : '';

const PHOTOS = ['skimage_camera.png', 'opencv_sudoku.png', 'grace_hopper.jpg', 'opencv_messi5.jpg', 'dog.jpg'];
const ORDERS: [number, number][] = [
  [1, 0],
  [0, 1],
  [1, 1],
  [2, 0],
  [0, 2],
];
const CASES: Omit<SobelAttrs, 'ksize'>[] = ORDERS.flatMap(([dx, dy]) =>
  (['reflect101', 'replicate'] as const).map((border) => ({ dx, dy, border })),
);

let device: Device;
beforeAll(async () => {
  device = await openDevice('cpu', { discover: false });
});
afterAll(async () => {
  await device?.close();
});

/** Runs every case on `image` and OpenCV on the same pixels; logs one line per case, then asserts. */
async function checkAgainstOpenCV(label: string, image: Tensor, cases = CASES): Promise<void> {
  const pixels = await image.data<Uint8Array>();
  const refs = openCVReference(pixels, image.shape, cases.map((attrs) => ({ op: 'sobel', attrs: { ...attrs } })));
  const results: { name: string; a: Agreement }[] = [];
  let nonzero = 0;
  for (const [i, attrs] of cases.entries()) {
    using out = sobel(image, attrs);
    expect(out.dtype).toBe('float32');
    expect(refs[i]!.dtype).toBe('float32');
    expect(refs[i]!.shape).toEqual([...image.shape]);
    const ours = await out.data<Float32Array>();
    for (const v of ours) if (v !== 0) nonzero++;
    const name = `${label} [${image.shape.join('x')}] dx=${attrs.dx} dy=${attrs.dy} ${attrs.border}`;
    results.push({ name, a: agreement(ours, refs[i]!.data as Float32Array) });
  }
  console.log(
    results.map(({ name, a }) => `sobel ${name}: identical ${(a.identical * 100).toFixed(4)}%, max diff ${a.maxDiff}`).join('\n'),
  );
  for (const { name, a } of results) expect(a.identical, name).toBe(1);
  // a kernel writing zeros everywhere would "match" a flat image; real images must give gradients
  if (image.size > 64) expect(nonzero).toBeGreaterThan(0);
}

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('sobel CPU kernel', () => {
  it('gives the textbook response on a vertical step edge', async () => {
    // columns 0-2 dark (10), 3-5 bright (200): dx = 4 * 190 at the two columns next to the step
    const px = new Uint8Array(4 * 6).map((_, i) => (i % 6 < 3 ? 10 : 200));
    using img = device.tensor(px, [4, 6, 1], 'uint8');
    using gx = sobel(img, { dx: 1, dy: 0 });
    using gy = sobel(img, { dx: 0, dy: 1 });
    const x = await gx.data<Float32Array>();
    expect([...x.subarray(0, 6)]).toEqual([0, 0, 760, 760, 0, 0]);
    expect((await gy.data<Float32Array>()).every((v) => v === 0)).toBe(true);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`matches cv2.Sobel on ${photo}, grey and RGB, every order and border${skipNote}`, async () => {
      using rgb = await readImage(device, join(SHARED_IMAGES, photo));
      using grey = grayscale(rgb);
      await checkAgainstOpenCV(`${photo} grey`, grey);
      await checkAgainstOpenCV(`${photo} rgb`, rgb);
    });
  }

  it.skipIf(missing)(`matches cv2.Sobel on 4-channel and 2-channel images${skipNote}`, async () => {
    using rgba = await readImage(device, join(SHARED_IMAGES, 'skimage_chelsea.png'), { mode: 'rgba' });
    await checkAgainstOpenCV('skimage_chelsea.png rgba', rgba);
    using two = device.tensor(noise(23 * 31 * 2, 5), [23, 31, 2], 'uint8');
    await checkAgainstOpenCV('noise 2ch', two);
  });

  it.skipIf(missing)(`matches cv2.Sobel on tiny images, where both borders touch${skipNote}`, async () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [2, 3, 1],
      [3, 2, 3],
      [1, 8, 1],
      [8, 1, 1],
      [2, 2, 4],
    ];
    for (const [i, shape] of shapes.entries()) {
      using img = device.tensor(noise(shape[0] * shape[1] * shape[2], 200 + i), shape, 'uint8');
      await checkAgainstOpenCV('noise', img);
    }
  });
});
