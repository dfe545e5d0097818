import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Device, openDevice, readImage } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classificationInput,
  classificationInputInto,
  classificationNormalizeTable,
  classificationPixels,
  resizedOutputSize,
} from './classification.js';

/**
 * torchvision 0.14's eval transform on PIL 9.4 (Debian's python3-torchvision, python3-pil), through
 * scripts/pil_reference.py. PIL is handed OUR decoded RGB pixels (Image.fromarray), so the comparison is
 * of the preprocessing only: sharp's and PIL's JPEG decoders differ by more than the ops do.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../scripts/pil_reference.py');
const IMAGES = resolve(__dirname, '../../../../../shared/images');

function referenceMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import PIL, numpy, torch, torchvision'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return (
    `torchvision reference unavailable (${PYTHON} cannot import PIL, numpy, torch and torchvision): apt-get ` +
    'install python3-torchvision python3-pil'
  );
}

interface Ref {
  shape: number[];
  dtype: string;
  bytes: Uint8Array;
}

interface RefJob {
  op: string;
  attrs?: object;
  /** The image of this job: raw uint8 HWC pixels and their shape. */
  pixels: Uint8Array;
  shape: readonly number[];
}

/** Runs every job (each on its own image) in one Python process: torch's start-up is paid once. */
function pilReference(jobs: RefJob[]): Ref[] {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-tvref-'));
  try {
    const inputs = new Map<Uint8Array, string>();
    const req = {
      jobs: jobs.map((j, i) => {
        let input = inputs.get(j.pixels);
        if (!input) {
          input = join(dir, `in${inputs.size}.raw`);
          writeFileSync(input, j.pixels);
          inputs.set(j.pixels, input);
        }
        return { op: j.op, attrs: j.attrs ?? {}, input, shape: j.shape, output: join(dir, `out${i}.raw`) };
      }),
    };
    const stdout = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(req), encoding: 'utf8' });
    const meta = JSON.parse(stdout) as { shape: number[]; dtype: string }[];
    return meta.map((m, i) => ({ ...m, bytes: new Uint8Array(readFileSync(join(dir, `out${i}.raw`))) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const missing = referenceMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

const PHOTOS = [
  'grace_hopper.jpg', // portrait 512x600
  'dog.jpg', // landscape 768x576
  'person.jpg',
  'horses.jpg',
  'skimage_chelsea.png', // 451x300: a mild shrink (300 -> 256)
  'opencv_squirrel_cls.jpg',
  'skimage_coffee.png',
];

/** A photo run with other settings than ImageNet's. */
const OTHER = {
  file: 'opencv_messi5.jpg',
  options: { resize: 300, crop: 256, mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 0.2] },
};

const torchvisionTitle =
  'classification preprocessing against torchvision (Resize(256), CenterCrop(224), ToTensor, Normalize) on PIL';
describe(torchvisionTitle, () => {
  let device: Device;
  const total = { values: 0, identical: 0, maxDiff: 0, maxFloat: 0 };
  /** Per photo: torchvision's uint8 crop and float tensor, computed once for all photos. */
  const refs = new Map<string, [Ref, Ref]>();
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
    if (missing) return;
    const jobs: RefJob[] = [];
    for (const file of PHOTOS) {
      using image = await readImage(device, join(IMAGES, file));
      const pixels = (await image.data()) as Uint8Array;
      jobs.push(
        { op: 'classificationCrop', pixels, shape: image.shape },
        { op: 'classificationInput', pixels, shape: image.shape },
      );
    }
    using other = await readImage(device, join(IMAGES, OTHER.file));
    const pixels = (await other.data()) as Uint8Array;
    jobs.push(
      {
        op: 'classificationCrop',
        attrs: { resize: OTHER.options.resize, crop: OTHER.options.crop },
        pixels,
        shape: other.shape,
      },
      { op: 'classificationInput', attrs: OTHER.options, pixels, shape: other.shape },
    );
    const out = pilReference(jobs);
    for (const [i, file] of [...PHOTOS, OTHER.file].entries()) refs.set(file, [out[2 * i]!, out[2 * i + 1]!]);
  });
  afterAll(async () => {
    await device?.close();
    if (total.values > 0) {
      console.log(
        `classification preprocessing, ${PHOTOS.length} photos: uint8 crop ` +
          `${((100 * total.identical) / total.values).toFixed(4)}% of ${total.values} values identical to ` +
          `torchvision/PIL, max diff ${total.maxDiff}; float tensor max |diff| ` +
          `${total.maxFloat.toExponential(2)}`,
      );
    }
  });

  for (const file of PHOTOS) {
    it.skipIf(missing)(`uint8 crop and float tensor match torchvision on ${file}${skipNote}`, async () => {
      const image = await readImage(device, join(IMAGES, file));
      const [h, w] = image.shape as [number, number, number];
      const live = device.liveTensors;
      const [crop, blob] = refs.get(file)!;
      using pixels = classificationPixels(image);
      using input = classificationInput(image);
      // Only the two results are alive: every intermediate was disposed.
      expect(device.liveTensors).toBe(live + 2);
      expect(pixels.shape).toEqual([224, 224, 3]);
      expect(crop!.shape).toEqual([224, 224, 3]);
      const ours = (await pixels.data()) as Uint8Array;
      let identical = 0;
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i]! - crop!.bytes[i]!);
        if (d === 0) identical++;
        else maxDiff = Math.max(maxDiff, d);
      }
      expect(input.shape).toEqual([1, 3, 224, 224]);
      expect(input.dtype).toBe('float32');
      expect(blob!.shape).toEqual([1, 3, 224, 224]);
      const ref = new Float32Array(blob!.bytes.buffer, blob!.bytes.byteOffset, blob!.bytes.byteLength / 4);
      const got = (await input.data()) as Float32Array;
      let maxFloat = 0;
      for (let i = 0; i < got.length; i++) maxFloat = Math.max(maxFloat, Math.abs(got[i]! - ref[i]!));
      const fraction = identical / ours.length;
      console.log(
        `classification ${file} (${w}x${h} -> ${JSON.stringify(resizedOutputSize(h, w, 256))} -> 224x224): ` +
          `${(100 * fraction).toFixed(4)}% of ${ours.length} uint8 values identical, max diff ${maxDiff}; ` +
          `float max |diff| ${maxFloat.toExponential(2)}`,
      );
      expect(fraction).toBeGreaterThanOrEqual(0.999);
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(maxFloat).toBeLessThanOrEqual(1e-6);
      total.values += ours.length;
      total.identical += identical;
      total.maxDiff = Math.max(total.maxDiff, maxDiff);
      total.maxFloat = Math.max(total.maxFloat, maxFloat);
      image.dispose();
    });
  }

  it.skipIf(missing)(
    `other sizes and statistics (Resize(300), CenterCrop(256), mean/std given) match too${skipNote}`,
    async () => {
      using image = await readImage(device, join(IMAGES, OTHER.file));
      const { options } = OTHER;
      const [crop, blob] = refs.get(OTHER.file)!;
      using pixels = classificationPixels(image, options);
      using input = classificationInput(image, options);
      expect(Array.from((await pixels.data()) as Uint8Array)).toEqual(Array.from(crop!.bytes));
      const ref = new Float32Array(blob!.bytes.buffer, blob!.bytes.byteOffset, blob!.bytes.byteLength / 4);
      const got = (await input.data()) as Float32Array;
      expect(got.length).toBe(ref.length);
      let maxFloat = 0;
      for (let i = 0; i < got.length; i++) maxFloat = Math.max(maxFloat, Math.abs(got[i]! - ref[i]!));
      expect(maxFloat).toBeLessThanOrEqual(1e-6);
    },
  );

  it.skipIf(missing)(`computes the resized size as torchvision 0.14's _compute_resized_output_size${skipNote}`, () => {
    const sizes: [number, number][] = [];
    for (const h of [1, 2, 3, 7, 100, 255, 256, 257, 299, 300, 333, 480, 511, 600, 1079, 1080, 4000]) {
      for (const w of [1, 3, 224, 256, 257, 301, 640, 768, 1919, 1920, 3001]) sizes.push([h, w]);
    }
    const code = [
      'import json, sys',
      'from torchvision.transforms.functional import _compute_resized_output_size as f',
      'print(json.dumps([f((h, w), [256]) for h, w in json.load(sys.stdin)]))',
    ].join('\n');
    const ref = JSON.parse(
      execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(sizes), encoding: 'utf8' }),
    ) as number[][];
    const ours = sizes.map(([h, w]) => {
      const s = resizedOutputSize(h, w, 256);
      return [s.height, s.width];
    });
    expect(ours).toEqual(ref);
  });

  it('keeps an image that already has the size, and refuses bad sizes', async () => {
    using image = device.tensor(new Uint8Array(256 * 300 * 3).fill(7), [256, 300, 3], 'uint8');
    const live = device.liveTensors;
    using pixels = classificationPixels(image);
    expect(pixels.shape).toEqual([224, 224, 3]);
    expect(device.liveTensors).toBe(live + 1);
    expect(() => classificationPixels(image, { crop: 0 })).toThrow(/'crop' must be a positive integer/);
    expect(() => classificationInput(image, { resize: 2.5 })).toThrow(/'resize' must be a positive integer/);
    expect(device.liveTensors).toBe(live + 1);
  });
});

describe('the CPU path of the classifier (crop-only resize, table normalize, into the feed)', () => {
  it('gives the bits of classificationInput on photos, small images, exact-size images and odd crops', async () => {
    const device = await openDevice('cpu', { discover: false });
    try {
      const table = await classificationNormalizeTable(device);
      const scratch = { bytes: new Uint8Array(0) };
      const photo = await readImage(device, join(IMAGES, 'grace_hopper.jpg'));
      const [ph, pw] = photo.shape as [number, number, number];
      const photoPixels = (await photo.data()) as Uint8Array;
      let seed = 3;
      const synthetic = (h: number, w: number) => ({
        h,
        w,
        pixels: Uint8Array.from(
          { length: h * w * 3 },
          () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 255,
        ),
      });
      const cases = [
        { h: ph, w: pw, pixels: photoPixels },
        synthetic(256, 341),
        synthetic(120, 90),
        synthetic(256, 256),
        synthetic(1, 7),
      ];
      for (const c of cases) {
        for (const options of [{}, { resize: 300, crop: 256 }, { resize: 100, crop: 150 }]) {
          using image = device.tensor(c.pixels, [c.h, c.w, 3], 'uint8');
          using expected = classificationInput(image, options);
          const crop = options.crop ?? 224;
          const out = new Float32Array(2 + 3 * crop * crop).fill(Number.NaN);
          classificationInputInto(c.pixels, c.h, c.w, table, out, 2, options, scratch);
          expect(Array.from(out.subarray(2)), `${c.w}x${c.h} ${JSON.stringify(options)}`).toEqual(
            Array.from((await expected.data()) as Float32Array),
          );
          expect(Number.isNaN(out[0]!) && Number.isNaN(out[1]!)).toBe(true); // nothing before the offset
        }
      }
      photo.dispose();
    } finally {
      await device.close();
    }
  });
});
