import { describe, expect, it } from 'vitest';
import { openCVMissing, openCVReference } from '../../../test/opencv.js';
import { type LetterboxAttrs, boxesToOriginal, letterbox, resolveAttrs } from '../../index.js';
import { letterboxOp } from '../../ops/letterbox.js';
import { readPhoto, useCpuDevice } from './test-kit.js';

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

interface Case {
  name: string;
  file: string;
  mode?: 'rgba' | 'grey';
  attrs: Partial<LetterboxAttrs>;
  /** Ultralytics' numbers for this photo, worked out by hand from LetterBox.__call__. */
  expect: { scale: number; resized: [number, number]; pads: [number, number, number, number]; size: [number, number] };
}

// pads are [top, bottom, left, right]; resized and size are [width, height]
const CASES: Case[] = [
  {
    // 768x576: r = min(640/576, 640/768) = 5/6 -> 640x480, dh = 160 -> 80 + 80
    name: 'landscape 640x640',
    file: 'dog.jpg',
    attrs: {},
    expect: { scale: 640 / 768, resized: [640, 480], pads: [80, 80, 0, 0], size: [640, 640] },
  },
  {
    // 512x600: r = min(640/600, 640/512) = 16/15 -> round(546.13) = 546 x 640, dw = 94 -> 47 + 47
    name: 'portrait 640x640 (upscaled)',
    file: 'grace_hopper.jpg',
    attrs: {},
    expect: { scale: 640 / 600, resized: [546, 640], pads: [0, 0, 47, 47], size: [640, 640] },
  },
  {
    // 773x512: r = 640/773 -> 640 x round(423.9) = 424, dh = 216 % 32 = 24 -> 12 + 12
    name: 'auto, stride 32',
    file: 'horses.jpg',
    attrs: { auto: true, stride: 32 },
    expect: { scale: 640 / 773, resized: [640, 424], pads: [12, 12, 0, 0], size: [640, 448] },
  },
  {
    // 640x424: r = 1, no resize at all; dh = 216 % 32 = 24 -> 12 + 12
    name: 'auto, stride 32, already at scale 1 (copied, not resized)',
    file: 'person.jpg',
    attrs: { auto: true },
    expect: { scale: 1, resized: [640, 424], pads: [12, 12, 0, 0], size: [640, 448] },
  },
  {
    // 451x300 with scaleUp = false: r = min(640/300, 640/451, 1) = 1; dw = 189 / 2 = 94.5 ->
    // left round(94.4) = 94, right round(94.6) = 95; dh = 340 / 2 = 170 -> 170 + 170
    name: 'scaleUp = false on a small image',
    file: 'skimage_chelsea.png',
    attrs: { scaleUp: false },
    expect: { scale: 1, resized: [451, 300], pads: [170, 170, 94, 95], size: [640, 640] },
  },
  {
    // 548x342 RGBA into 320x256, padValue 0, not centred: r = min(256/342, 320/548) = 320/548 ->
    // 320 x round(199.7) = 200, dh = 56, all at the bottom
    name: 'RGBA, 320x256, not centred, pad 0',
    file: 'opencv_messi5.jpg',
    mode: 'rgba',
    attrs: { width: 320, height: 256, center: false, padValue: 0 },
    expect: { scale: 320 / 548, resized: [320, 200], pads: [0, 56, 0, 0], size: [320, 256] },
  },
  {
    // 512x512 grey into 300x200: r = 200/512 -> 200x200, dw = 100 / 2 = 50 -> 50 + 50
    name: 'grey, 300x200',
    file: 'skimage_astronaut.png',
    mode: 'grey',
    attrs: { width: 300, height: 200, padValue: 7 },
    expect: { scale: 200 / 512, resized: [200, 200], pads: [0, 0, 50, 50], size: [300, 200] },
  },
];

describe('letterbox kernel (CPU) against Ultralytics LetterBox (with cv2)', () => {
  const device = useCpuDevice();

  for (const c of CASES) {
    it.skipIf(missing)(`${c.name}: ${c.file} matches the reference and Ultralytics' geometry${skipNote}`, async () => {
      const image = await readPhoto(device(), c.file, c.mode);
      const [h, w, ch] = image.shape as [number, number, number];
      const { image: out, geometry: g } = letterbox(image, c.attrs);

      expect(g.scale).toBeCloseTo(c.expect.scale, 12);
      expect([g.resizedWidth, g.resizedHeight]).toEqual(c.expect.resized);
      expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual(c.expect.pads);
      expect([g.width, g.height]).toEqual(c.expect.size);
      expect(out.shape).toEqual([c.expect.size[1], c.expect.size[0], ch]);

      const [ref] = openCVReference(
        (await image.data()) as Uint8Array,
        [h, w, ch],
        [{ op: 'letterbox', attrs: { ...c.attrs } }],
      );
      expect(ref!.shape).toEqual(out.shape);
      const ours = (await out.data()) as Uint8Array;
      const theirs = ref!.data as Uint8Array;
      let identical = 0;
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i]! - theirs[i]!);
        if (d === 0) identical++;
        maxDiff = Math.max(maxDiff, d);
      }
      console.log(
        `letterbox ${c.file} ${w}x${h}x${ch} -> ${g.width}x${g.height}: ` +
          `${((100 * identical) / ours.length).toFixed(4)}% identical, max diff ${maxDiff}`,
      );
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(identical / ours.length).toBeGreaterThanOrEqual(0.999);

      // The padding rows hold exactly padValue.
      const pad = resolveAttrs(letterboxOp, c.attrs).padValue;
      const rowStride = g.width * ch;
      if (g.padTop > 0) expect(ours.subarray(0, g.padTop * rowStride).every((v) => v === pad)).toBe(true);
      if (g.padBottom > 0)
        expect(ours.subarray((g.height - g.padBottom) * rowStride).every((v) => v === pad)).toBe(true);
    });
  }

  it('boxesToOriginal maps a box drawn on the letterboxed image back to the photo (hand-computed)', async () => {
    const image = await readPhoto(device(), 'dog.jpg');
    const { geometry: g } = letterbox(image);
    // dog.jpg 768x576 -> scale 5/6, 80 rows of padding on top: x / (5/6), (y - 80) / (5/6)
    const back = boxesToOriginal([100, 180, 400, 380, -10, 50, 700, 600], g);
    expect(back[0]).toBeCloseTo(120, 4);
    expect(back[1]).toBeCloseTo(120, 4);
    expect(back[2]).toBeCloseTo(480, 4);
    expect(back[3]).toBeCloseTo(360, 4);
    // a box reaching into the padding is clipped to the photo: (-12, -36, 840, 624) -> (0, 0, 768, 576)
    expect(Array.from(back.subarray(4))).toEqual([0, 0, 768, 576]);
    const unclipped = boxesToOriginal([-10, 50, 700, 600], g, false);
    expect(unclipped[0]).toBeCloseTo(-12, 4);
    expect(unclipped[1]).toBeCloseTo(-36, 4);
    expect(unclipped[2]).toBeCloseTo(840, 4);
    expect(unclipped[3]).toBeCloseTo(624, 4);

    // grace_hopper.jpg 512x600 -> scale 16/15, 47 columns of padding on the left
    const portrait = letterbox(await readPhoto(device(), 'grace_hopper.jpg')).geometry;
    const p = boxesToOriginal([47 + 160, 320, 47 + 320, 640], portrait);
    expect(p[0]).toBeCloseTo(150, 4);
    expect(p[1]).toBeCloseTo(300, 4);
    expect(p[2]).toBeCloseTo(300, 4);
    expect(p[3]).toBeCloseTo(600, 4);
  });
});
