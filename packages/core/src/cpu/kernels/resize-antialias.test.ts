import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agreement } from '../../../test/agreement.js';
import { resize } from '../../index.js';
import { antialiasAxis, resizeAntialiasRegionU8, resizeAntialiasU8 } from './resize-antialias.js';
import { type PhotoMode, Tally, readPhoto, useCpuDevice } from './test-kit.js';

/** Pillow 9.4 from Debian (python3-pil), driven by scripts/pil_reference.py on the same decoded pixels. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../../scripts/pil_reference.py');

function pilMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import PIL, numpy; print(PIL.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `PIL reference unavailable (${PYTHON} cannot import PIL and numpy): apt-get install python3-pil python3-numpy`;
}

/** Runs every resize job on one HWC uint8 image in one Python process; returns the raw outputs. */
function pilResize(
  pixels: Uint8Array,
  shape: readonly number[],
  sizes: readonly { width: number; height: number }[],
): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-pilref-'));
  try {
    const input = join(dir, 'in.raw');
    writeFileSync(input, pixels);
    const jobs = sizes.map((attrs, i) => ({ op: 'resize', attrs, output: join(dir, `out${i}.raw`) }));
    const stdout = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify({ input, shape, jobs }), encoding: 'utf8' });
    const meta = JSON.parse(stdout) as { shape: number[] }[];
    return meta.map((m, i) => {
      const raw = new Uint8Array(readFileSync(join(dir, `out${i}.raw`)));
      expect(m.shape).toEqual([sizes[i]!.height, sizes[i]!.width, shape[2]]);
      return raw;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const missing = pilMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

/** Photos of every channel count the op takes: RGB JPEG and PNG, RGBA, grey, 2-channel. */
const PHOTOS: { file: string; mode: PhotoMode }[] = [
  { file: 'grace_hopper.jpg', mode: 'rgb' },
  { file: 'dog.jpg', mode: 'rgb' },
  { file: 'skimage_chelsea.png', mode: 'rgb' },
  { file: 'opencv_messi5.jpg', mode: 'rgba' },
  { file: 'skimage_camera.png', mode: 'grey' },
  { file: 'opencv_fruits.jpg', mode: 'two' },
];

/**
 * torchvision's Resize(256) size, strong and odd downscales, upscales (PIL's support-1 path), one axis only, identity,
 * 1 pixel.
 */
function sizes(h: number, w: number): { width: number; height: number }[] {
  const short = Math.min(h, w);
  const long = Math.max(h, w);
  const other = Math.trunc((256 * long) / short);
  return [
    w <= h ? { width: 256, height: other } : { width: other, height: 256 },
    { width: 224, height: 224 },
    { width: 97, height: 61 },
    { width: 7, height: 5 },
    { width: Math.round(w * 1.37), height: Math.round(h * 1.7) + 1 },
    { width: w * 2, height: h * 2 },
    { width: w - 1, height: h },
    { width: w, height: h >> 1 },
    { width: w, height: h },
    { width: 1, height: 1 },
    { width: 1, height: 300 },
  ];
}

describe('resize bilinear-antialias (CPU) against Pillow 9.4 Image.resize(BILINEAR)', () => {
  const device = useCpuDevice();
  const total = new Tally();
  afterAll(() => {
    if (total.values > 0) console.log(`resize bilinear-antialias, all photos: ${total.report('PIL')}`);
  });

  for (const photo of PHOTOS) {
    it.skipIf(missing)(`equals PIL on ${photo.file} at 11 sizes, down and up${skipNote}`, async () => {
      const image = await readPhoto(device(), photo.file, photo.mode);
      const [h, w, c] = image.shape as [number, number, number];
      const jobs = sizes(h, w);
      const refs = pilResize((await image.data()) as Uint8Array, [h, w, c], jobs);
      const stats = new Tally();
      for (const [i, s] of jobs.entries()) {
        using out = resize(image, { ...s, interpolation: 'bilinear-antialias' });
        expect(out.shape).toEqual([s.height, s.width, c]);
        const ours = (await out.data()) as Uint8Array;
        const ref = refs[i]!;
        const { count: identical, maxDiff } = agreement(ours, ref);
        expect(maxDiff, `${photo.file} ${w}x${h}x${c} -> ${s.width}x${s.height}`).toBeLessThanOrEqual(1);
        stats.add(ours.length, identical, maxDiff);
      }
      image.dispose();
      const what = `${photo.file} (${w}x${h}x${c}, ${jobs.length} sizes)`;
      console.log(`resize bilinear-antialias ${what}: ${stats.report('PIL')}`);
      expect(stats.fraction).toBeGreaterThanOrEqual(0.999);
      total.add(stats.values, stats.identical, stats.maxDiff);
    });
  }

  it('keeps a constant image constant, copies at the same size and averages when halving (no PIL needed)', async () => {
    using flat = device().tensor(new Uint8Array(10 * 13 * 3).fill(200), [10, 13, 3], 'uint8');
    for (const [width, height] of [
      [31, 7],
      [4, 3],
      [1, 1],
    ] as const) {
      using out = resize(flat, { width, height, interpolation: 'bilinear-antialias' });
      expect(((await out.data()) as Uint8Array).every((v) => v === 200)).toBe(true);
    }
    using ramp = device().tensor(
      Uint8Array.from({ length: 4 * 5 }, (_, i) => i * 10),
      [4, 5, 1],
      'uint8',
    );
    using same = resize(ramp, { width: 5, height: 4, interpolation: 'bilinear-antialias' });
    expect(Array.from((await same.data()) as Uint8Array)).toEqual(Array.from((await ramp.data()) as Uint8Array));
    // 4 -> 2 columns: the triangle is 2 pixels wide either side, taps are clipped at the border and renormalised.
    using row = device().tensor(new Uint8Array([0, 40, 80, 120]), [1, 4, 1], 'uint8');
    using half = resize(row, { width: 2, height: 1, interpolation: 'bilinear-antialias' });
    // Output 0: centre 1, taps x = 0, 1, 2 with weights 0.75, 0.75, 0.25 (/1.75): (0 + 30 + 20) / 1.75 = 28.57.
    // Output 1: centre 3, taps x = 1, 2, 3 with weights 0.25, 0.75, 0.75: (10 + 60 + 90) / 1.75 = 91.43.
    expect(Array.from((await half.data()) as Uint8Array)).toEqual([29, 91]);
  });

  it('builds the taps as PIL does: support scaled by the downscale factor, 1 when enlarging', () => {
    const down = antialiasAxis(1000, 256);
    expect(down.ksize).toBe(Math.ceil(1000 / 256) * 2 + 1);
    for (let d = 0; d < 256; d++) {
      let sum = 0;
      for (let k = 0; k < down.count[d]!; k++) sum += down.weights[d * down.ksize + k]!;
      expect(Math.abs(sum - 2 ** 22)).toBeLessThanOrEqual(down.count[d]!);
    }
    const up = antialiasAxis(2, 4);
    expect(up.ksize).toBe(3);
    expect(Array.from(up.start)).toEqual([0, 0, 0, 1]);
  });

  const regionTitle =
    'computes a region alone with the same bytes as resizing everything and cropping (torchvision Resize + ' +
    'CenterCrop)';
  it(regionTitle, () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 255;
    for (const [h, w, cn, dh, dw] of [
      [600, 512, 3, 300, 256],
      [97, 131, 1, 61, 200],
      [40, 50, 2, 40, 23],
      [40, 50, 4, 17, 50],
      [40, 50, 3, 40, 50],
    ] as const) {
      const src = Uint8Array.from({ length: h * w * cn }, rand);
      const full = new Uint8Array(dh * dw * cn);
      resizeAntialiasU8(src, h, w, cn, full, dh, dw);
      for (const r of [
        { top: 0, left: 0, height: dh, width: dw },
        { top: Math.floor(dh / 5), left: Math.floor(dw / 7), height: Math.ceil(dh / 2), width: Math.ceil(dw / 3) },
        { top: dh - 1, left: dw - 1, height: 1, width: 1 },
      ]) {
        const out = new Uint8Array(r.height * r.width * cn);
        resizeAntialiasRegionU8(src, h, w, cn, dh, dw, r, out, { bytes: new Uint8Array(0) });
        const expected = new Uint8Array(out.length);
        for (let y = 0; y < r.height; y++) {
          const at = ((r.top + y) * dw + r.left) * cn;
          expected.set(full.subarray(at, at + r.width * cn), y * r.width * cn);
        }
        expect(out, `${w}x${h}x${cn} -> ${dw}x${dh}, region ${JSON.stringify(r)}`).toEqual(expected);
      }
    }
    expect(() =>
      resizeAntialiasRegionU8(
        new Uint8Array(12),
        2,
        2,
        3,
        4,
        4,
        { top: 3, left: 0, height: 2, width: 1 },
        new Uint8Array(6),
      ),
    ).toThrow(/outside the 4x4 result/);
  });
});
