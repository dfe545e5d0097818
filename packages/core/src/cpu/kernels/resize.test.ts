import { afterAll, describe, expect, it } from 'vitest';
import { agreement } from '../../../test/agreement.js';
import { openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type ResizeAttrs, resize } from '../../index.js';
import { type PhotoMode, Tally, readPhoto, useCpuDevice } from './test-kit.js';

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

/** Photos of every channel count the op takes: JPEG and PNG, RGB, RGBA, grey (via our grayscale op), 2-channel. */
const PHOTOS: { file: string; mode: PhotoMode }[] = [
  { file: 'grace_hopper.jpg', mode: 'rgb' },
  { file: 'dog.jpg', mode: 'rgb' },
  { file: 'skimage_chelsea.png', mode: 'rgb' },
  { file: 'skimage_coffee.png', mode: 'rgb' },
  { file: 'opencv_messi5.jpg', mode: 'rgba' },
  { file: 'skimage_astronaut.png', mode: 'grey' },
  { file: 'opencv_fruits.jpg', mode: 'two' },
];

/** Target sizes: down, up, non-integer ratios, exact halves and doubles, identity, 1x1, one pixel wide or tall. */
function sizes(h: number, w: number): { width: number; height: number }[] {
  return [
    { width: 224, height: 224 },
    { width: 197, height: 333 },
    { width: Math.round(w * 1.37), height: Math.round(h * 1.7) + 1 },
    { width: w >> 1, height: h >> 1 },
    { width: w * 2, height: h * 2 },
    { width: w - 1, height: h + 1 },
    { width: w, height: h },
    { width: 37, height: 23 },
    { width: 7, height: 5 },
    { width: 1, height: 1 },
    { width: 1, height: 300 },
    { width: 300, height: 1 },
  ];
}

describe('resize kernel (CPU) against OpenCV 4.6 cv2.resize', () => {
  const device = useCpuDevice();
  const total = new Tally();
  afterAll(() => {
    if (total.values > 0) console.log(`resize bilinear, all photos: ${total.report('OpenCV')}`);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(
      `nearest is identical and bilinear within 1 grey level on ${photo.file}${skipNote}`,
      async () => {
        const image = await readPhoto(device(), photo.file, photo.mode);
        const [h, w, c] = image.shape as [number, number, number];
        const jobs = sizes(h, w).flatMap((s) =>
          (['nearest', 'bilinear'] as const).map((interpolation): ResizeAttrs => ({ ...s, interpolation })),
        );
        const refs = openCVReference(
          (await image.data()) as Uint8Array,
          [h, w, c],
          jobs.map((attrs) => ({ op: 'resize', attrs: { ...attrs } })),
        );
        const stats = new Tally();
        for (const [i, attrs] of jobs.entries()) {
          const out = resize(image, attrs);
          expect(out.shape).toEqual([attrs.height, attrs.width, c]);
          expect(refs[i]!.shape).toEqual([attrs.height, attrs.width, c]);
          const ours = (await out.data()) as Uint8Array;
          const { count: identical, maxDiff } = agreement(ours, refs[i]!.data as Uint8Array);
          const where = `${photo.file} ${w}x${h}x${c} -> ${attrs.width}x${attrs.height} ${attrs.interpolation}`;
          if (attrs.interpolation === 'nearest') {
            expect(identical, where).toBe(ours.length);
          } else {
            expect(maxDiff, where).toBeLessThanOrEqual(1);
            stats.add(ours.length, identical, maxDiff);
          }
          out.dispose();
        }
        const fraction = stats.fraction;
        console.log(
          `resize bilinear ${photo.file} (${w}x${h}x${c}, ${jobs.length / 2} sizes): ` +
            `${(100 * fraction).toFixed(4)}% identical to OpenCV, max diff ${stats.maxDiff}`,
        );
        expect(fraction).toBeGreaterThanOrEqual(0.999);
        total.add(stats.values, stats.identical, stats.maxDiff);
      },
    );
  }

  it('keeps a constant image constant and copies at the same size (no OpenCV needed)', async () => {
    const flat = device().tensor(new Uint8Array(10 * 13 * 3).fill(200), [10, 13, 3], 'uint8');
    for (const interpolation of ['nearest', 'bilinear'] as const) {
      const up = (await resize(flat, { width: 31, height: 7, interpolation }).data()) as Uint8Array;
      expect(up.every((v) => v === 200)).toBe(true);
    }
    const ramp = device().tensor(
      Uint8Array.from({ length: 4 * 5 }, (_, i) => i * 10),
      [4, 5, 1],
      'uint8',
    );
    expect(Array.from((await resize(ramp, { width: 5, height: 4 }).data()) as Uint8Array)).toEqual(
      Array.from((await ramp.data()) as Uint8Array),
    );
    // 2 -> 4 columns, pixel centres: x = 0 and 3 clamp to the border pixels, x = 1, 2 weigh 3:1 and 1:3.
    const pair = device().tensor(new Uint8Array([0, 100]), [1, 2, 1], 'uint8');
    expect(Array.from((await resize(pair, { width: 4, height: 1 }).data()) as Uint8Array)).toEqual([0, 25, 75, 100]);
    expect(
      Array.from((await resize(pair, { width: 4, height: 1, interpolation: 'nearest' }).data()) as Uint8Array),
    ).toEqual([0, 0, 100, 100]);
  });
});
