import { describe, expect, it } from 'vitest';
import { openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type Tensor, grayscale, swapRB } from '../../index.js';
import { readPhoto, useCpuDevice } from './test-kit.js';

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

const PHOTOS = [
  { file: 'grace_hopper.jpg', mode: 'rgb' },
  { file: 'opencv_fruits.jpg', mode: 'rgb' },
  { file: 'skimage_coffee.png', mode: 'rgb' },
  { file: 'skimage_astronaut.png', mode: 'rgba' },
  { file: 'opencv_squirrel_cls.jpg', mode: 'rgba' },
] as const;

function differing(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('grayscale and swapRB kernels (CPU) against OpenCV 4.6 cvtColor', () => {
  const device = useCpuDevice();

  for (const photo of PHOTOS) {
    it.skipIf(missing)(
      `grayscale (rgb and bgr order) and swapRB are identical on ${photo.file} (${photo.mode})${skipNote}`,
      async () => {
        const image = await readPhoto(device(), photo.file, photo.mode);
        const [h, w, c] = image.shape as [number, number, number];
        expect(c).toBe(photo.mode === 'rgba' ? 4 : 3);
        const refs = openCVReference(
          (await image.data()) as Uint8Array,
          [h, w, c],
          [
            { op: 'grayscale', attrs: { order: 'rgb' } },
            { op: 'grayscale', attrs: { order: 'bgr' } },
            { op: 'swapRB' },
          ],
        );
        const outputs: [string, Tensor][] = [
          ['grayscale rgb', grayscale(image, { order: 'rgb' })],
          ['grayscale bgr', grayscale(image, { order: 'bgr' })],
          ['swapRB', swapRB(image)],
        ];
        // Count differing bytes per output and compare all at once, so a failure shows every op's count.
        const counts: string[] = [];
        for (const [i, [name, out]] of outputs.entries()) {
          expect(out.shape, name).toEqual(refs[i]!.shape);
          counts.push(`${name}: ${differing((await out.data()) as Uint8Array, refs[i]!.data as Uint8Array)}`);
        }
        expect(counts.join(', '), `bytes differing from OpenCV on ${photo.file}`).toBe(
          'grayscale rgb: 0, grayscale bgr: 0, swapRB: 0',
        );
        // The two orders really differ on a colour photo, so the bgr case tests something.
        const [rgbGrey, bgrGrey] = [await outputs[0]![1].data(), await outputs[1]![1].data()] as Uint8Array[];
        expect(differing(rgbGrey!, bgrGrey!)).toBeGreaterThan(0);
      },
    );
  }

  it('weights R, G, B with OpenCV 4.x Q15 coefficients and keeps alpha in swapRB (hand-computed)', async () => {
    const bytes = new Uint8Array([255, 0, 0, 7, 0, 255, 0, 8, 0, 0, 255, 9, 1, 215, 0, 10]);
    const px = device().tensor(bytes, [1, 4, 4], 'uint8');
    // OpenCV 4.x RGB2Gray<uchar>: (R * 9798 + G * 19235 + B * 3735 + 2^14) >> 15, so pure red, green and
    // blue give 76, 150, 29; (1, 215, 0) gives 127 (the Q14 weights 4899/9617/1868 give 126 there).
    expect(Array.from((await grayscale(px).data()) as Uint8Array)).toEqual([76, 150, 29, 127]);
    expect(Array.from((await grayscale(px, { order: 'bgr' }).data()) as Uint8Array)).toEqual([29, 150, 76, 126]);
    expect(Array.from((await swapRB(px).data()) as Uint8Array)).toEqual([
      0, 0, 255, 7, 0, 255, 0, 8, 255, 0, 0, 9, 0, 215, 1, 10,
    ]);
  });
});
