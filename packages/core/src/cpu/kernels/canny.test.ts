import { describe, expect, it } from 'vitest';
import { openCVMissing } from '../../../test/opencv.js';
import { type CannyAttrs, type Tensor, canny, grayscale } from '../../index.js';
import { thresholds } from './canny.js';
import { compareWithOpenCV, forEachNoiseImage, readPhoto, useCpuDevice } from './test-kit.js';

// The CPU kernel must agree with cv2.Canny (OpenCV 4.6, aperture 3) on the same grey pixels: the
// acceptance bar is 99% of pixels; the kernel follows OpenCV's integer arithmetic, so it is asserted equal.
const missing = openCVMissing();
const skipNote = missing ? ` (skipped: ${missing})` : '';

const PHOTOS = [
  'skimage_camera.png',
  'opencv_sudoku.png',
  'grace_hopper.jpg',
  'opencv_messi5.jpg',
  'dog.jpg',
  'horses.jpg',
  'person.jpg',
  'skimage_page.png',
];
type Case = Omit<CannyAttrs, 'aperture'>;
const CASES: Case[] = [
  ...[false, true].flatMap((l2) =>
    [
      [50, 150],
      [100, 200],
      [20, 60],
      [200, 100], // swapped: OpenCV swaps them back
      [30.7, 90.2], // fractional: floored (after squaring in L2)
    ].map(([low, high]) => ({ low: low!, high: high!, l2 })),
  ),
  { low: 0, high: 0, l2: false }, // every local maximum with a non-zero gradient is an edge
  { low: 400, high: 1000, l2: true }, // L2 thresholds beyond int16 once squared
];

const device = useCpuDevice();

interface Agreement {
  agree: number;
  mismatches: number;
  edges: number;
  refEdges: number;
  /** Output values other than 0 and 255. */
  invalid: number;
}

function agreement(ours: Uint8Array, ref: Uint8Array): Agreement {
  expect(ours.length).toBe(ref.length);
  let mismatches = 0;
  let edges = 0;
  let refEdges = 0;
  let invalid = 0;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== ref[i]) mismatches++;
    if (ours[i] === 255) edges++;
    else if (ours[i] !== 0) invalid++;
    if (ref[i] === 255) refEdges++;
  }
  return { agree: 1 - mismatches / ours.length, mismatches, edges, refEdges, invalid };
}

/** Runs every case on the grey `image` and cv2.Canny on the same pixels; logs one line per case, then asserts. */
async function checkAgainstOpenCV(label: string, image: Tensor, cases: Case[] = CASES): Promise<void> {
  const results = await compareWithOpenCV(label, image, cases, {
    op: 'canny',
    describe: (attrs) => `${attrs.l2 ? 'L2' : 'L1'} ${attrs.low}/${attrs.high}`,
    measure: async (attrs, ref) => {
      using out = canny(image, attrs);
      return agreement(await out.data<Uint8Array>(), ref.data as Uint8Array);
    },
    show: (a) =>
      `agree ${(a.agree * 100).toFixed(4)}% (${a.mismatches} px differ; edges ours ${a.edges}, OpenCV ${a.refEdges})`,
  });
  for (const { name, a } of results) {
    expect(a.invalid, name).toBe(0);
    expect(a.agree, name).toBeGreaterThanOrEqual(0.99);
    expect(a.mismatches, name).toBe(0);
  }
}

describe('canny CPU kernel', () => {
  it('handles thresholds as OpenCV does: swap, clamp and square in L2, floor', () => {
    expect(thresholds(50, 150, false)).toEqual([50, 150]);
    expect(thresholds(150, 50, false)).toEqual([50, 150]);
    expect(thresholds(30.7, 90.2, false)).toEqual([30, 90]);
    expect(thresholds(30.7, 90.2, true)).toEqual([Math.floor(30.7 * 30.7), Math.floor(90.2 * 90.2)]);
    expect(thresholds(40000, 50000, true)).toEqual([32767 * 32767, 32767 * 32767]);
  });

  it('traces a square outline, one pixel wide, and nothing on a flat image', async () => {
    const [h, w] = [16, 16];
    const px = new Uint8Array(h * w).map((_, i) => {
      const [y, x] = [Math.floor(i / w), i % w];
      return y >= 4 && y < 12 && x >= 4 && x < 12 ? 220 : 20;
    });
    using img = device().tensor(px, [h, w, 1], 'uint8');
    using edges = canny(img, { low: 50, high: 150 });
    const e = await edges.data<Uint8Array>();
    // the outline runs along the inner side of the step, without gaps
    for (let x = 5; x < 11; x++) expect(e[4 * w + x]! + e[3 * w + x]!).toBe(255);
    expect(e.filter((v) => v === 255).length).toBeGreaterThanOrEqual(28);
    expect(e.every((v) => v === 0 || v === 255)).toBe(true);
    using flat = device().tensor(new Uint8Array(h * w).fill(90), [h, w, 1], 'uint8');
    using none = canny(flat, { low: 0, high: 0 });
    expect((await none.data<Uint8Array>()).every((v) => v === 0)).toBe(true);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`matches cv2.Canny on ${photo}, L1 and L2, several thresholds${skipNote}`, async () => {
      using rgb = await readPhoto(device(), photo);
      using grey = grayscale(rgb);
      await checkAgainstOpenCV(photo, grey);
    });
  }

  it.skipIf(missing)(
    `matches cv2.Canny on noise and tiny images, where the border rules matter${skipNote}`,
    async () => {
      const shapes: [number, number][] = [
        [1, 1],
        [2, 3],
        [1, 12],
        [12, 1],
        [5, 5],
        [61, 47],
      ];
      const few: Case[] = [CASES[0]!, CASES[2]!, CASES[5]!, CASES[7]!, CASES[10]!];
      const grey = shapes.map(([h, w]) => [h, w, 1] as const);
      await forEachNoiseImage(device(), grey, 300, (img) => checkAgainstOpenCV('noise', img, few));
    },
  );
});
