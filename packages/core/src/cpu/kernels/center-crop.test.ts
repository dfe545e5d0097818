import { describe, expect, it } from 'vitest';
import { openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type CenterCropAttrs, centerCrop } from '../../index.js';
import { readPhoto, useCpuDevice } from './test-kit.js';

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

const PHOTOS = [
  { file: 'grace_hopper.jpg', mode: 'rgb' },
  { file: 'skimage_chelsea.png', mode: 'rgb' },
  { file: 'opencv_squirrel_cls.jpg', mode: 'rgba' },
  { file: 'skimage_coffee.png', mode: 'grey' },
] as const;

/** Crops inside the image (even and odd margins), larger on both sides, larger on one side, same size, 1x1. */
function crops(h: number, w: number): CenterCropAttrs[] {
  return [
    { width: 224, height: 224, padValue: 0 },
    { width: w - 3, height: h - 1, padValue: 0 },
    { width: w + 10, height: h + 7, padValue: 0 },
    { width: w + 3, height: 100, padValue: 114 },
    { width: 64, height: h + 1, padValue: 255 },
    { width: w, height: h, padValue: 0 },
    { width: 1, height: 1, padValue: 0 },
  ];
}

describe('centerCrop kernel (CPU) against torchvision center_crop', () => {
  const device = useCpuDevice();

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`is identical to the reference on ${photo.file} (${photo.mode})${skipNote}`, async () => {
      const image = await readPhoto(device(), photo.file, photo.mode);
      const [h, w, c] = image.shape as [number, number, number];
      const jobs = crops(h, w);
      const refs = openCVReference(
        (await image.data()) as Uint8Array,
        [h, w, c],
        jobs.map((a) => ({ op: 'centerCrop', attrs: { ...a } })),
      );
      for (const [i, attrs] of jobs.entries()) {
        const out = centerCrop(image, attrs);
        expect(out.shape).toEqual([attrs.height, attrs.width, c]);
        expect(refs[i]!.shape).toEqual([attrs.height, attrs.width, c]);
        const ours = (await out.data()) as Uint8Array;
        const ref = refs[i]!.data as Uint8Array;
        let differing = 0;
        for (let k = 0; k < ours.length; k++) if (ours[k] !== ref[k]) differing++;
        expect(differing, `${photo.file} ${w}x${h} -> ${attrs.width}x${attrs.height}`).toBe(0);
        out.dispose();
      }
    });
  }

  it('places the window with Python rounding and pads the larger side like torchvision (hand-computed)', async () => {
    const row = device().tensor(new Uint8Array([10, 20, 30, 40, 50]), [1, 5, 1], 'uint8');
    const crop = async (width: number) =>
      Array.from((await centerCrop(row, { width, height: 1, padValue: 9 }).data()) as Uint8Array);
    // left = round((5 - 2) / 2) = round(1.5) = 2 (halves to even), round((5 - 4) / 2) = round(0.5) = 0
    expect(await crop(2)).toEqual([30, 40]);
    expect(await crop(4)).toEqual([10, 20, 30, 40]);
    expect(await crop(3)).toEqual([20, 30, 40]);
    // larger: torchvision pads floor(diff / 2) before and the rest after
    expect(await crop(7)).toEqual([9, 10, 20, 30, 40, 50, 9]);
    expect(await crop(8)).toEqual([9, 10, 20, 30, 40, 50, 9, 9]);
    const tall = await centerCrop(row, { width: 5, height: 4, padValue: 9 }).data();
    expect(Array.from(tall as Uint8Array)).toEqual([9, 9, 9, 9, 9, 10, 20, 30, 40, 50, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
  });
});
