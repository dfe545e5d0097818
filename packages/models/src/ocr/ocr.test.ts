import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from './cer.js';
import { type Ocr, createOcr } from './ocr.js';

/** The shared test images, found relative to the repository (../shared/images next to it). */
const IMAGES = resolve(__dirname, '../../../../../shared/images');
const missing = existsSync(resolve(IMAGES, 'opencv_imageTextN.png')) ? undefined : `no test images at ${IMAGES}`;
const note = missing ? ` [skipped: ${missing}]` : '';
/** The text of both images, transcribed by eye (fixtures/ocr/README.md). */
const SZELISKI_LINES = readFileSync(resolve(__dirname, '../../../../fixtures/ocr/szeliski-page.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

describe('OCR with PP-OCRv4 on the Szeliski paragraph', () => {
  let ocr: Ocr;
  const seen: string[] = [];
  beforeAll(async () => {
    ocr = createOcr({ backend: 'cpu' });
    await ocr.load();
  });
  afterAll(async () => {
    await ocr?.dispose();
    if (seen.length) console.log(seen.join('\n'));
  });

  for (const [file, bar] of [
    ['opencv_imageTextN.png', 0.02],
    ['opencv_imageTextR.png', 0.05],
  ] as const) {
    it.skipIf(missing)(`reads ${file} with CER <= ${bar * 100}%${note}`, async () => {
      const result = await ocr.run(resolve(IMAGES, file));
      const cer = characterErrorRate(
        result.lines.map((l) => l.text),
        SZELISKI_LINES,
      );
      seen.push(
        `${file}: CER ${(cer * 100).toFixed(2)}% over ${result.lines.length} lines\n  ` +
          `${result.lines.map((l) => l.text).join('\n  ')}`,
      );
      expect(cer).toBeLessThanOrEqual(bar);
      expect(result.lines).toHaveLength(SZELISKI_LINES.length);
      expect(result.width).toBe(556);
      for (const line of result.lines) {
        expect(line.confidence).toBeGreaterThan(0.5);
        expect(line.confidence).toBeLessThanOrEqual(1);
        expect(line.polygon).toHaveLength(4);
        for (const [x, y] of line.polygon) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(result.width);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThan(result.height);
        }
      }
    });
  }
});
