import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Device, type Tensor, openDevice, readImage } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpuPixels,
  detectionInput,
  detectionInputSteps,
  detectionLetterbox,
  detectionNormalizeTable,
  hostPixels,
  normalizeRows,
} from './detection.js';

/**
 * Ultralytics' LetterBox steps done with OpenCV 4.6 (scripts/opencv_reference.py's letterbox job, on our
 * decoded pixels), then Ultralytics' `im.float() / 255` in float32.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../scripts/opencv_reference.py');
const IMAGES = resolve(__dirname, '../../../../../shared/images');

function openCVMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import cv2, numpy'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `OpenCV reference unavailable (${PYTHON} cannot import cv2): apt-get install python3-opencv`;
}

/** The letterboxed uint8 image of each size, from the reference script. */
function letterboxReference(
  pixels: Uint8Array,
  shape: readonly number[],
  sizes: number[],
): { shape: number[]; data: Uint8Array }[] {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-lbref-'));
  try {
    const input = join(dir, 'in.raw');
    writeFileSync(input, pixels);
    const jobs = sizes.map((s, i) => ({
      op: 'letterbox',
      attrs: { width: s, height: s },
      output: join(dir, `out${i}.raw`),
    }));
    const stdout = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify({ input, shape, jobs }), encoding: 'utf8' });
    const meta = JSON.parse(stdout) as { shape: number[] }[];
    return meta.map((m, i) => ({ shape: m.shape, data: new Uint8Array(readFileSync(join(dir, `out${i}.raw`))) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const missing = openCVMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

/** Shrunk (dog, horses), same width (person 640x424), enlarged (grace_hopper portrait, chelsea), grey page. */
const PHOTOS = ['dog.jpg', 'horses.jpg', 'person.jpg', 'grace_hopper.jpg', 'skimage_chelsea.png', 'skimage_page.png'];

describe('detection input against Ultralytics LetterBox (cv2) + /255', () => {
  let device: Device;
  let checked = 0;
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
  });
  afterAll(async () => {
    await device?.close();
    if (checked > 0)
      console.log(
        `detection input: ${checked} float32 values over ${PHOTOS.length} photos, all identical to Ultralytics' steps`,
      );
  });

  for (const file of PHOTOS) {
    const sizes = file === PHOTOS[0] ? [640, 320] : [640];
    it.skipIf(missing)(`is identical on ${file} at ${sizes.join(' and ')}${skipNote}`, async () => {
      using image = await readImage(device, join(IMAGES, file));
      const [h, w, c] = image.shape as [number, number, number];
      const refs = letterboxReference((await image.data()) as Uint8Array, image.shape, sizes);
      for (const [k, size] of sizes.entries()) {
        const live = device.liveTensors;
        const { tensor, geometry } = detectionInput(image, size);
        using _ = tensor;
        expect(device.liveTensors).toBe(live + 1); // the letterboxed intermediate is gone
        const ref = refs[k]!;
        expect(ref.shape).toEqual([size, size, c]);
        expect(tensor.shape).toEqual([1, c, size, size]);
        expect(tensor.dtype).toBe('float32');
        const got = (await tensor.data()) as Float32Array;
        const plane = size * size;
        let mismatches = 0;
        for (let y = 0, p = 0; y < size; y++) {
          for (let x = 0; x < size; x++, p++) {
            for (let ch = 0; ch < c; ch++) {
              // torch: uint8 -> float32, then / 255 in float32 (correctly rounded: fround of the quotient).
              const want = Math.fround(ref.data[p * c + ch]! / 255);
              if (got[ch * plane + p] !== want) mismatches++;
            }
          }
        }
        expect(mismatches, `${file} -> ${size}`).toBe(0);
        // The geometry says where the reference put the image: everything outside it is padding (114).
        expect(geometry).toMatchObject({ width: size, height: size, scale: Math.min(size / h, size / w) });
        let outside = 0;
        let notPad = 0;
        for (let y = 0, p = 0; y < size; y++) {
          for (let x = 0; x < size; x++, p++) {
            const inside =
              y >= geometry.padTop &&
              y < geometry.padTop + geometry.resizedHeight &&
              x >= geometry.padLeft &&
              x < geometry.padLeft + geometry.resizedWidth;
            if (inside) continue;
            outside++;
            for (let ch = 0; ch < c; ch++) if (ref.data[p * c + ch] !== 114) notPad++;
          }
        }
        expect(outside).toBe(size * size - geometry.resizedWidth * geometry.resizedHeight);
        expect(notPad).toBe(0);
        checked += got.length;
      }
    });
  }

  it('pads a square image nowhere and keeps the device clean on errors', async () => {
    using square = device.tensor(new Uint8Array(64 * 64 * 3).fill(9), [64, 64, 3], 'uint8');
    const { tensor, geometry } = detectionInput(square, 128);
    using _ = tensor;
    expect(geometry).toMatchObject({ padLeft: 0, padTop: 0, padRight: 0, padBottom: 0, scale: 2, resizedWidth: 128 });
    expect(((await tensor.data()) as Float32Array).every((v) => v === Math.fround(9 / 255))).toBe(true);
    const live = device.liveTensors;
    using thin = device.tensor(new Uint8Array(1000 * 3), [1, 1000, 3], 'uint8');
    expect(() => detectionInput(thin, 64)).toThrow(/leaves a side of 0 pixels/);
    expect(device.liveTensors).toBe(live + 1);
  });
});

describe('detection input on the host, a band of rows at a time (what the detector runs on the CPU device)', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
  });
  afterAll(async () => {
    await device?.close();
  });

  const bitsTitle =
    'gives the very bits of detectionInput: resized, unresized (person at 640), halved, enlarged, grey, odd sizes';
  it(bitsTitle, async () => {
    const table = await detectionNormalizeTable(device);
    const cases: [Tensor, number][] = [];
    for (const file of PHOTOS)
      for (const size of [640, 320, 97]) cases.push([await readImage(device, join(IMAGES, file)), size]);
    // an exact halving (OpenCV's INTER_AREA shortcut) and 1 and 4 channels
    const noise = (h: number, w: number, c: number) => {
      const px = new Uint8Array(h * w * c);
      for (let i = 0; i < px.length; i++) px[i] = (i * 2654435761) >>> 24;
      return device.tensor(px, [h, w, c], 'uint8');
    };
    cases.push([noise(256, 128, 3), 128], [noise(60, 80, 1), 64], [noise(50, 30, 4), 64]);
    for (const [image, size] of cases) {
      const [h, w, c] = image.shape as [number, number, number];
      const { tensor, geometry } = detectionInput(image, size);
      const want = (await tensor.data()) as Float32Array;
      tensor.dispose();
      const got = new Float32Array(2 + want.length).fill(-1);
      const pixels = cpuPixels(image);
      expect(pixels).toBeDefined();
      let checks = 0;
      const steps = detectionInputSteps(pixels!, h, w, c, table, got, 1, size, 7, () => checks++);
      let step = steps.next();
      let yields = 0;
      for (; !step.done; step = steps.next()) yields++;
      expect(step.value).toEqual(geometry);
      expect(yields).toBe(Math.ceil(size / 7) - 1);
      expect(checks).toBe(yields + 1);
      expect([got[0], got[got.length - 1]]).toEqual([-1, -1]);
      expect(
        Buffer.from(got.buffer, 4, want.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)),
      ).toBe(true);

      // the other path: letterbox on the device, then the rows normalized on the host
      const { image: boxed } = detectionLetterbox(image, size);
      const rows = new Float32Array(want.length);
      const host = await hostPixels(boxed);
      for (let y = 0; y < size; y += 50) normalizeRows(table, host, size, size, c, rows, 0, y, Math.min(size, y + 50));
      boxed.dispose();
      expect(Buffer.from(rows.buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
      image.dispose();
    }
    expect(device.liveTensors).toBe(0);
  });
});
