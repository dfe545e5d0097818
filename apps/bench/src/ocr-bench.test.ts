import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OCR_ONLY_B1C1, type OcrCell, benchOcr } from './ocr-bench.js';
import { TESSERACT_MISSING, tesseractVersion } from './ocr-tesseract.js';
import { validate } from './schema-check.js';

const schema = JSON.parse(readFileSync(join(__dirname, '../schema/results.schema.json'), 'utf8')) as Record<
  string,
  unknown
>;
/** A cell checked against results.schema.json's modelCell (its $refs resolved against the whole schema). */
const cellErrors = (cell: unknown) =>
  validate({ $defs: schema.$defs, $ref: '#/$defs/modelCell' }, JSON.parse(JSON.stringify(cell)));

const IMAGES = resolve(__dirname, '../../../../shared/images');
const tesseract = tesseractVersion();

describe('OCR bench cells', () => {
  const ocrTitle =
    'measures Ocellus OCR and Tesseract 5 on the same images: CER and time per image' +
    `${tesseract.reason ? ` [tesseract part skipped: ${tesseract.reason}]` : ''}`;
  it(ocrTitle, async () => {
    const r = await benchOcr({
      backends: [
        { spec: 'cpu', available: true },
        { spec: 'vulkan', available: false, reason: 'not installed' },
      ],
      precisions: ['fp32', 'int8'],
      batches: [1, 8],
      concurrency: [1],
      iterations: 1,
      warmup: 0,
      threads: 2,
      imagesDir: IMAGES,
    });
    const cell = (engine: string, backend: string, precision = 'fp32', batch = 1) =>
      r.cells.find(
        (c) => c.engine === engine && c.backend === backend && c.precision === precision && c.batch === batch,
      ) as OcrCell;
    const ours = cell('ocellus', 'cpu');
    expect(ours.status).toBe('ok');
    expect(ours.latency!.n).toBe(2);
    expect(ours.latency!.p50Ms).toBeGreaterThan(0);
    expect(ours.cerByImage!['opencv_imageTextN.png']).toBeLessThanOrEqual(0.02);
    expect(ours.cerByImage!['opencv_imageTextR.png']).toBeLessThanOrEqual(0.05);
    expect(cell('ocellus', 'cpu', 'fp32', 8)).toMatchObject({ status: 'n/a', reason: OCR_ONLY_B1C1 });
    expect(cell('ocellus', 'cpu', 'int8').status).toBe('n/a');
    expect(cell('ocellus', 'vulkan')).toMatchObject({ status: 'n/a', reason: 'n/a: not installed' });
    const peer = cell('tesseract', '-');
    if (tesseract.reason) {
      expect(peer).toMatchObject({ status: 'n/a', reason: TESSERACT_MISSING });
    } else {
      expect(peer.status).toBe('ok');
      // it reads the upright page; the rotated one is its weak spot (measured: most lines lost)
      expect(peer.cerByImage!['opencv_imageTextN.png']).toBeLessThan(0.1);
      expect(peer.cer).toBeLessThanOrEqual(1);
    }
    for (const c of r.cells) expect(cellErrors(c), c.id).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/Ocellus OCR \(cpu\): CER \d+\.\d\d% .*p50 \d+ ms per image/);
    console.log(r.notes.join('\n'));
  });

  it('says why when tesseract is not installed', async () => {
    const r = await benchOcr({
      backends: [],
      precisions: ['fp32'],
      batches: [1],
      concurrency: [1],
      iterations: 1,
      warmup: 0,
      threads: 1,
      imagesDir: IMAGES,
      tesseract: '/nonexistent/tesseract',
    });
    expect(r.cells).toEqual([
      expect.objectContaining({ engine: 'tesseract', status: 'n/a', reason: TESSERACT_MISSING }),
    ]);
  });
});
