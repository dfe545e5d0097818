import { describe, expect, it } from 'vitest';
import { type Agreement, agreement } from '../../../test/agreement.js';
import { openCVMissing } from '../../../test/opencv.js';
import { type GaussianBlurAttrs, type Tensor, gaussianBlur, grayscale } from '../../index.js';
import { gaussianKernelQ8 } from './gaussian-blur.js';
import { compareWithOpenCV, forEachNoiseImage, noise, noiseImage, readPhoto, useCpuDevice } from './test-kit.js';

// The CPU kernel must equal cv2.GaussianBlur (OpenCV 4.6, BORDER_REFLECT_101) on the same pixels:
// the acceptance bar is 1 grey level, but the fixed-point path makes it bit-exact, so that is asserted.
const missing = openCVMissing();
const skipNote = missing ? ` (skipped: ${missing})` : '';

const PHOTOS = [
  'skimage_camera.png',
  'opencv_sudoku.png',
  'grace_hopper.jpg',
  'opencv_messi5.jpg',
  'dog.jpg',
  'horses.jpg',
];
const CASES: GaussianBlurAttrs[] = [
  { ksize: 3, sigma: 0 },
  { ksize: 5, sigma: 0 },
  { ksize: 7, sigma: 0 },
  { ksize: 9, sigma: 0 },
  { ksize: 11, sigma: 0 },
  { ksize: 3, sigma: 0.8 },
  { ksize: 5, sigma: 1.5 },
  { ksize: 7, sigma: 0.5 },
  { ksize: 9, sigma: 3 },
  { ksize: 15, sigma: 2.2 },
];

const device = useCpuDevice();

/** Blurs `image` with every case and runs OpenCV on the same pixels; logs every case, then asserts each agreement. */
async function checkAgainstOpenCV(label: string, image: Tensor, cases: GaussianBlurAttrs[]): Promise<void> {
  const results = await compareWithOpenCV(label, image, cases, {
    op: 'gaussianBlur',
    describe: (attrs) => `k=${attrs.ksize} sigma=${attrs.sigma}`,
    measure: async (attrs, ref): Promise<Agreement> => {
      using out = gaussianBlur(image, attrs);
      return agreement(await out.data<Uint8Array>(), ref.data as Uint8Array);
    },
    show: (a) => `identical ${(a.identical * 100).toFixed(4)}%, max diff ${a.maxDiff}`,
  });
  for (const { name, a } of results) {
    expect(a.maxDiff, name).toBeLessThanOrEqual(1);
    expect(a.identical, name).toBe(1);
  }
}

describe('gaussianBlur CPU kernel', () => {
  it('quantizes the kernel to Q8 like OpenCV (sums to 256; binomial tables for sigma 0)', () => {
    expect([...gaussianKernelQ8(3, 0)]).toEqual([64, 128, 64]);
    expect([...gaussianKernelQ8(5, 0)]).toEqual([16, 64, 96, 64, 16]);
    expect([...gaussianKernelQ8(7, 0)]).toEqual([8, 28, 56, 72, 56, 28, 8]);
    // OpenCV's fixed table for ksize 9 is what error diffusion of the sigma = 1.7 kernel gives
    expect([...gaussianKernelQ8(9, 0)]).toEqual([4, 13, 30, 51, 60, 51, 30, 13, 4]);
    for (const [k, s] of [
      [11, 0],
      [5, 1.5],
      [21, 4],
      [7, 0.3],
    ] as const) {
      expect(gaussianKernelQ8(k, s).reduce((a, b) => a + b, 0)).toBe(256);
    }
  });

  it('keeps a flat image flat and ksize 1 is the identity', async () => {
    using flat = device().tensor(new Uint8Array(6 * 5 * 3).fill(77), [6, 5, 3], 'uint8');
    using blurred = gaussianBlur(flat, { ksize: 9, sigma: 4 });
    expect((await blurred.data<Uint8Array>()).every((v) => v === 77)).toBe(true);
    const px = noise(4 * 7 * 2, 3);
    using img = device().tensor(px, [4, 7, 2], 'uint8');
    using same = gaussianBlur(img, { ksize: 1 });
    expect(await same.data<Uint8Array>()).toEqual(px);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`matches cv2.GaussianBlur on ${photo}, RGB and grey${skipNote}`, async () => {
      using rgb = await readPhoto(device(), photo);
      await checkAgainstOpenCV(`${photo} rgb`, rgb, CASES);
      using grey = grayscale(rgb);
      await checkAgainstOpenCV(`${photo} grey`, grey, CASES);
    });
  }

  it.skipIf(missing)(`matches cv2.GaussianBlur on 4-channel and 2-channel images${skipNote}`, async () => {
    using rgba = await readPhoto(device(), 'skimage_chelsea.png', 'rgba');
    expect(rgba.shape[2]).toBe(4);
    await checkAgainstOpenCV('skimage_chelsea.png rgba', rgba, [CASES[1]!, CASES[6]!, CASES[8]!]);
    const [h, w] = [37, 53];
    using two = noiseImage(device(), [h, w, 2], 11);
    await checkAgainstOpenCV('noise 2ch', two, CASES);
  });

  it.skipIf(missing)(
    `matches cv2.GaussianBlur on tiny images, where the kernel is wider than the image${skipNote}`,
    async () => {
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [1, 1, 3],
        [2, 3, 1],
        [3, 2, 3],
        [1, 9, 1],
        [9, 1, 1],
        [1, 17, 3],
        [2, 2, 4],
        [4, 5, 1],
        [5, 4, 2],
      ];
      await forEachNoiseImage(device(), shapes, 100, (img) => checkAgainstOpenCV('noise', img, CASES));
    },
  );
});
