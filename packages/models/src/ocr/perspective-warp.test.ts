import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeImage } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { type HostImage, rectifiedCrop, rotate180, rotate90ccw } from './crop.js';
import type { Point, Quad } from './geometry.js';
import { invert3, perspectiveTransform, warpPerspective } from './perspective-warp.js';
import { SHARED_IMAGES, ocrReference, openCVMissing } from './test-reference.js';

const missing = openCVMissing();
const note = missing ? ` [skipped: ${missing}]` : '';

describe('perspectiveTransform', () => {
  it('maps each source corner onto its destination', () => {
    const src: Point[] = [
      [12, 30],
      [300, 5],
      [310, 60],
      [15, 90],
    ];
    const dst: Point[] = [
      [0, 0],
      [290, 0],
      [290, 55],
      [0, 55],
    ];
    const m = perspectiveTransform(src, dst);
    for (let i = 0; i < 4; i++) {
      const [x, y] = src[i]!;
      const w = m[6] * x + m[7] * y + m[8];
      expect((m[0] * x + m[1] * y + m[2]) / w).toBeCloseTo(dst[i]![0], 9);
      expect((m[3] * x + m[4] * y + m[5]) / w).toBeCloseTo(dst[i]![1], 9);
    }
    const back = invert3(m);
    const w = back[6] * 290 + back[7] * 55 + back[8];
    expect((back[0] * 290 + back[1] * 55 + back[2]) / w).toBeCloseTo(310, 9);
  });
});

describe('warpPerspective against cv2.warpPerspective (INTER_LINEAR, BORDER_REPLICATE)', () => {
  // text lines of the rotated paragraph, one reaching past the image (the border is replicated)
  const quads: { quad: Quad; w: number; h: number }[] = [
    {
      quad: [
        [27, 88],
        [512, 8],
        [515, 26],
        [30, 106],
      ],
      w: 491,
      h: 18,
    },
    {
      quad: [
        [4, 72],
        [330, 19],
        [333, 36],
        [7, 89],
      ],
      w: 330,
      h: 17,
    },
    {
      quad: [
        [-20, -10],
        [100, 5],
        [90, 60],
        [-5, 50],
      ],
      w: 121,
      h: 61,
    },
    {
      quad: [
        [0.5, 1.25],
        [50.75, 3.5],
        [49.5, 40.25],
        [2, 38],
      ],
      w: 50,
      h: 37,
    },
  ];
  it.skipIf(missing)(
    `matches OpenCV within 1 level on ${quads.length} quads of opencv_imageTextR.png${note}`,
    async () => {
      const img = await decodeImage(resolve(SHARED_IMAGES, 'opencv_imageTextR.png'));
      const shape = [img.height, img.width, img.channels];
      const refs = ocrReference(
        (dir) => {
          writeFileSync(join(dir, 'in.raw'), img.data);
          return quads.map((q, i) => ({
            op: 'warp',
            input: join(dir, 'in.raw'),
            shape,
            quad: q.quad,
            width: q.w,
            height: q.h,
            output: join(dir, `o${i}.raw`),
          }));
        },
        (_r, dir) => quads.map((_, i) => new Uint8Array(readFileSync(join(dir, `o${i}.raw`)))),
      );
      for (const [i, q] of quads.entries()) {
        const m = perspectiveTransform(q.quad, [
          [0, 0],
          [q.w, 0],
          [q.w, q.h],
          [0, q.h],
        ]);
        const ours = warpPerspective(img.data, img.height, img.width, img.channels, m, q.w, q.h);
        const ref = refs[i]!;
        expect(ours.length).toBe(ref.length);
        let worst = 0;
        let off = 0;
        for (let k = 0; k < ours.length; k++) {
          const d = Math.abs(ours[k]! - ref[k]!);
          worst = Math.max(worst, d);
          if (d > 0) off++;
        }
        expect(worst, `quad ${i}: max difference`).toBeLessThanOrEqual(1);
        expect(off / ours.length, `quad ${i}: share of values off by 1`).toBeLessThan(0.01);
      }
    },
  );
});

describe('rectifiedCrop', () => {
  const img: HostImage = {
    data: Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => i % 251),
    width: 40,
    height: 30,
    channels: 3,
  };
  it('cuts an axis-aligned quad out unchanged', () => {
    const crop = rectifiedCrop(img, [
      [5, 6],
      [25, 6],
      [25, 16],
      [5, 16],
    ]);
    expect([crop.width, crop.height]).toEqual([20, 10]);
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 20; x++) {
        for (let c = 0; c < 3; c++)
          expect(crop.data[(y * 20 + x) * 3 + c]).toBe(img.data[((y + 6) * 40 + x + 5) * 3 + c]);
      }
    }
  });
  it('turns a tall crop (h / w >= 1.5) counter-clockwise', () => {
    const crop = rectifiedCrop(img, [
      [5, 2],
      [11, 2],
      [11, 22],
      [5, 22],
    ]);
    expect([crop.width, crop.height]).toEqual([20, 6]);
  });
  it('rotations: four quarter turns and two half turns give the image back', () => {
    let r = img;
    for (let i = 0; i < 4; i++) r = rotate90ccw(r);
    expect(r).toEqual(img);
    expect(rotate180(rotate180(img))).toEqual(img);
    expect(rotate180(img).data.slice(0, 3)).toEqual(img.data.slice(-3));
  });
});
