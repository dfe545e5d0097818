import { describe, expect, it } from 'vitest';
import { type Agreement, agreement } from '../../../test/agreement.js';
import { openCVMissing } from '../../../test/opencv.js';
import { type SobelAttrs, type Tensor, grayscale, sobel } from '../../index.js';
import { compareWithOpenCV, forEachNoiseImage, noiseImage, readPhoto, useCpuDevice } from './test-kit.js';

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

const device = useCpuDevice();

/** Runs every case on `image` and OpenCV on the same pixels; logs one line per case, then asserts. */
async function checkAgainstOpenCV(label: string, image: Tensor, cases = CASES): Promise<void> {
  let nonzero = 0;
  const results = await compareWithOpenCV(label, image, cases, {
    op: 'sobel',
    describe: (attrs) => `dx=${attrs.dx} dy=${attrs.dy} ${attrs.border}`,
    measure: async (attrs, ref): Promise<Agreement> => {
      using out = sobel(image, attrs);
      expect(out.dtype).toBe('float32');
      expect(ref.dtype).toBe('float32');
      const ours = await out.data<Float32Array>();
      for (const v of ours) if (v !== 0) nonzero++;
      return agreement(ours, ref.data as Float32Array);
    },
    show: (a) => `identical ${(a.identical * 100).toFixed(4)}%, max diff ${a.maxDiff}`,
  });
  for (const { name, a } of results) expect(a.identical, name).toBe(1);
  // a kernel writing zeros everywhere would "match" a flat image; real images must give gradients
  if (image.size > 64) expect(nonzero).toBeGreaterThan(0);
}

describe('sobel CPU kernel', () => {
  it('gives the textbook response on a vertical step edge', async () => {
    // columns 0-2 dark (10), 3-5 bright (200): dx = 4 * 190 at the two columns next to the step
    const px = new Uint8Array(4 * 6).map((_, i) => (i % 6 < 3 ? 10 : 200));
    using img = device().tensor(px, [4, 6, 1], 'uint8');
    using gx = sobel(img, { dx: 1, dy: 0 });
    using gy = sobel(img, { dx: 0, dy: 1 });
    const x = await gx.data<Float32Array>();
    expect([...x.subarray(0, 6)]).toEqual([0, 0, 760, 760, 0, 0]);
    expect((await gy.data<Float32Array>()).every((v) => v === 0)).toBe(true);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`matches cv2.Sobel on ${photo}, grey and RGB, every order and border${skipNote}`, async () => {
      using rgb = await readPhoto(device(), photo);
      using grey = grayscale(rgb);
      await checkAgainstOpenCV(`${photo} grey`, grey);
      await checkAgainstOpenCV(`${photo} rgb`, rgb);
    });
  }

  it.skipIf(missing)(`matches cv2.Sobel on 4-channel and 2-channel images${skipNote}`, async () => {
    using rgba = await readPhoto(device(), 'skimage_chelsea.png', 'rgba');
    await checkAgainstOpenCV('skimage_chelsea.png rgba', rgba);
    using two = noiseImage(device(), [23, 31, 2], 5);
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
    await forEachNoiseImage(device(), shapes, 200, (img) => checkAgainstOpenCV('noise', img));
  });
});
