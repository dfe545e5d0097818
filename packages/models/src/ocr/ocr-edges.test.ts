/**
 * The OCR pipeline on inputs without text or with odd sizes, bad files and bad models: sane results
 * or named errors, and nothing left running after dispose().
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisposedError, ImageDecodeError, encodeImage } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelSignatureError } from '../engine/signature.js';
import { ModelFileError } from '../onnx/model-info.js';
import { defaultOcrModelPaths } from './assets.js';
import { OcrDictionaryError } from './errors.js';
import { type Ocr, createOcr } from './ocr.js';

/**
 * OS threads of this process (Linux /proc): each session is a worker thread with onnxruntime's own
 * threads inside; idle workers are unref'd, so Node's active-resource list does not show them.
 */
const threads = () => readdirSync('/proc/self/task').length;
const linux = existsSync('/proc/self/task') ? undefined : 'no /proc/self/task on this OS';

/** Threads wind down asynchronously after terminate(): poll briefly until at most `n` remain. */
async function settlesAtMost(n: number): Promise<number> {
  for (let i = 0; i < 40 && threads() > n; i++) await new Promise((r) => setTimeout(r, 50));
  return threads();
}

const grey = (width: number, height: number, value = 128) => ({
  data: new Uint8Array(width * height * 3).fill(value),
  width,
  height,
  channels: 3,
});

/** Black text-like bars on white: a synthetic "line of text" at (x, y). */
function drawBars(img: { data: Uint8Array; width: number }, x: number, y: number, count: number): void {
  for (let k = 0; k < count; k++) {
    for (let yy = y; yy < y + 24; yy++) {
      for (let xx = x + k * 14; xx < x + k * 14 + 8; xx++)
        img.data.fill(0, (yy * img.width + xx) * 3, (yy * img.width + xx) * 3 + 3);
    }
  }
}

describe('OCR edge cases', () => {
  let ocr: Ocr;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocellus-ocr-'));
    ocr = createOcr({ backend: 'cpu' });
    await ocr.load();
  });
  afterAll(async () => {
    await ocr?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns no lines for a flat grey image', async () => {
    const r = await ocr.run(grey(320, 200));
    expect(r).toEqual({ image: '<pixels>', width: 320, height: 200, lines: [] });
  });

  it('returns no lines for a 1x1 image', async () => {
    const r = await ocr.run(grey(1, 1, 0));
    expect(r.lines).toEqual([]);
    expect([r.width, r.height]).toEqual([1, 1]);
  });

  it('reads a huge image (8400 px wide) with polygons inside it', async () => {
    const img = { ...grey(8400, 600, 255) };
    drawBars(img, 3000, 250, 60);
    const r = await ocr.run(img);
    expect([r.width, r.height]).toEqual([8400, 600]);
    for (const line of r.lines) {
      for (const [x, y] of line.polygon) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(8400);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(600);
      }
    }
    expect(r.lines.length).toBeLessThanOrEqual(1);
  });

  it('runs a batch, and an encoded image like its pixels', async () => {
    const png = await encodeImage(grey(64, 48), 'png');
    const [a, b] = await ocr.runBatch([png, grey(64, 48)]);
    expect(a).toMatchObject({ image: '<bytes>', lines: [] });
    expect(b).toMatchObject({ image: '<pixels>', lines: [] });
  });

  it('refuses a corrupt image file with ImageDecodeError naming it', async () => {
    const path = join(dir, 'corrupt.png');
    writeFileSync(path, Buffer.from('\x89PNG\r\n\x1a\n not really a png'));
    await expect(ocr.run(path)).rejects.toThrow(ImageDecodeError);
    await expect(ocr.run(path)).rejects.toThrow(/corrupt\.png/);
  });

  it('names a missing model file (ModelFileError) and starts nothing', async () => {
    const bad = createOcr({ backend: 'cpu', detModel: join(dir, 'nope.onnx') });
    await expect(bad.load()).rejects.toThrow(ModelFileError);
    await expect(bad.load()).rejects.toThrow(/nope\.onnx.*no such file/);
    await bad.dispose();
  });

  it('refuses a file that is not ONNX (ModelFileError)', async () => {
    const path = join(dir, 'text.onnx');
    writeFileSync(path, 'hello, not a model');
    const bad = createOcr({ backend: 'cpu', recModel: path });
    await expect(bad.load()).rejects.toThrow(ModelFileError);
    await bad.dispose();
  });

  it('refuses the rec model given as det (ModelSignatureError naming the file and the stage)', async () => {
    const bad = createOcr({ backend: 'cpu', detModel: defaultOcrModelPaths().recModel });
    await expect(bad.load()).rejects.toThrow(ModelSignatureError);
    await expect(bad.load()).rejects.toThrow(/ch_PP-OCRv4_rec_infer\.onnx' does not fit the OCR det stage/);
    await bad.dispose();
  });

  it('refuses a dictionary that does not match the rec model, and a missing one (OcrDictionaryError)', async () => {
    const path = join(dir, 'keys.txt');
    writeFileSync(path, 'a\nb\nc\n');
    const bad = createOcr({ backend: 'cpu', dictionary: path, useCls: false });
    await expect(bad.load()).rejects.toThrow(OcrDictionaryError);
    await expect(bad.load()).rejects.toThrow(/gives 5 classes .* outputs 6625/);
    await bad.dispose();
    const none = createOcr({ backend: 'cpu', dictionary: join(dir, 'missing.txt') });
    await expect(none.load()).rejects.toThrow(/cannot read OCR dictionary .*missing\.txt.*no such file/);
    await none.dispose();
  });

  it('rejects bad options at creation', () => {
    expect(() => createOcr({ boxThresh: 2 })).toThrow(RangeError);
    expect(() => createOcr({ recBatch: 0 })).toThrow(/recBatch/);
  });

  it.skipIf(linux)(
    `leaves no thread behind after dispose, and refuses work after it${linux ? ` [skipped: ${linux}]` : ''}`,
    async () => {
      const before = threads();
      const other = createOcr({ backend: 'cpu', useCls: false });
      await other.load();
      await other.run(grey(64, 64));
      expect(threads()).toBeGreaterThan(before);
      await other.dispose();
      expect(await settlesAtMost(before)).toBeLessThanOrEqual(before);
      await ocr.dispose();
      expect(await settlesAtMost(before - 3)).toBeLessThanOrEqual(before - 3); // det, rec and cls workers gone
      await expect(ocr.run(grey(8, 8))).rejects.toThrow(DisposedError);
      await expect(other.run(grey(8, 8))).rejects.toThrow(DisposedError);
    },
  );
});
