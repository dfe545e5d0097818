import { describe, expect, it } from 'vitest';
import { openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type NormalizeAttrs, float16BitsToFloat32, normalize } from '../../index.js';
import { readPhoto, useCpuDevice } from './test-kit.js';

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 1 / 255 };

const PHOTOS = [
  { file: 'grace_hopper.jpg', mode: 'rgb' },
  { file: 'opencv_sudoku.png', mode: 'rgb' },
  { file: 'skimage_chelsea.png', mode: 'rgba' },
  { file: 'opencv_fruits.jpg', mode: 'grey' },
] as const;

/** ImageNet (RGB and from BGR), YOLO-style 1/255, raw values, one broadcast mean/std; each in float32 and float16. */
function jobs(c: number): Partial<NormalizeAttrs>[] {
  const perChannel = (v: number[]) => (c === 3 ? v : c === 4 ? [...v, 0.5] : [v[0]!]);
  const base: Partial<NormalizeAttrs>[] = [
    { mean: perChannel(IMAGENET.mean), std: perChannel(IMAGENET.std), scale: IMAGENET.scale },
    { mean: perChannel(IMAGENET.mean), std: perChannel(IMAGENET.std), scale: IMAGENET.scale, swapRB: true },
    { scale: 1 / 255 },
    { scale: 1, mean: [0], std: [1] },
    { scale: 1, mean: [127.5], std: [127.5], swapRB: true },
  ];
  return base.flatMap((a) => [
    { ...a, dtype: 'float32' as const },
    { ...a, dtype: 'float16' as const },
  ]);
}

/** Distance in units in the last place between two finite halves of the same sign (or zeros). */
function halfUlps(a: number, b: number): number {
  const key = (h: number) => (h & 0x8000 ? -(h & 0x7fff) : h);
  return Math.abs(key(a) - key(b));
}

describe('normalize kernel (CPU) against the NumPy reference', () => {
  const device = useCpuDevice();

  for (const photo of PHOTOS) {
    it.skipIf(missing)(
      `matches within 1e-6 (float32) and 1 half ulp (float16) on ${photo.file} (${photo.mode})${skipNote}`,
      async () => {
        const image = await readPhoto(device(), photo.file, photo.mode);
        const [h, w, c] = image.shape as [number, number, number];
        const list = jobs(c);
        const refs = openCVReference(
          (await image.data()) as Uint8Array,
          [h, w, c],
          list.map((a) => ({ op: 'normalize', attrs: { ...a } })),
        );
        const summary: string[] = [];
        for (const [i, attrs] of list.entries()) {
          const out = normalize(image, attrs);
          expect(out.shape).toEqual([1, c, h, w]);
          expect(out.dtype).toBe(attrs.dtype);
          expect(refs[i]!.shape).toEqual([1, c, h, w]);
          expect(refs[i]!.dtype).toBe(attrs.dtype);
          const where = `${photo.file} ${JSON.stringify(attrs)}`;
          let exact = 0;
          let worst = 0;
          if (attrs.dtype === 'float32') {
            const ours = (await out.data()) as Float32Array;
            const ref = refs[i]!.data as Float32Array;
            for (let k = 0; k < ours.length; k++) {
              const d = Math.abs(ours[k]! - ref[k]!);
              if (d === 0) exact++;
              worst = Math.max(worst, d);
            }
            expect(worst, where).toBeLessThanOrEqual(1e-6);
          } else {
            const ours = (await out.data()) as Uint16Array;
            const ref = refs[i]!.data as Uint16Array;
            for (let k = 0; k < ours.length; k++) {
              const d = halfUlps(ours[k]!, ref[k]!);
              if (d === 0) exact++;
              worst = Math.max(worst, d);
            }
            expect(worst, where).toBeLessThanOrEqual(1);
          }
          summary.push(
            `${attrs.dtype}${attrs.swapRB ? '/swapRB' : ''} ${((100 * exact) / out.size).toFixed(3)}% ` +
              `exact, max ${worst}`,
          );
          out.dispose();
        }
        console.log(`normalize ${photo.file} ${w}x${h}x${c}: ${summary.join('; ')}`);
      },
    );
  }

  it('computes hand-checked ImageNet values, NCHW order and swapRB (no OpenCV needed)', async () => {
    // one row of two RGB pixels: (255, 0, 128) and (10, 20, 30)
    const img = device().tensor(new Uint8Array([255, 0, 128, 10, 20, 30]), [1, 2, 3], 'uint8');
    const out = (await normalize(img, { ...IMAGENET }).data()) as Float32Array;
    const f = (p: number, c: number) => Math.fround((p / 255 - IMAGENET.mean[c]!) / IMAGENET.std[c]!);
    // planes: R of both pixels, then G, then B
    expect(Array.from(out)).toEqual([f(255, 0), f(10, 0), f(0, 1), f(20, 1), f(128, 2), f(30, 2)]);
    expect(out[0]).toBeCloseTo(2.2489083, 6); // (1 - 0.485) / 0.229
    const swapped = (await normalize(img, { scale: 1, swapRB: true }).data()) as Float32Array;
    expect(Array.from(swapped)).toEqual([128, 30, 0, 20, 255, 10]);
    const half = (await normalize(img, { scale: 1, mean: [0.5], std: [2], dtype: 'float16' }).data()) as Uint16Array;
    expect(Array.from(half, float16BitsToFloat32)).toEqual([127.25, 4.75, -0.25, 9.75, 63.75, 14.75]);
  });
});
