import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The two text images of ../shared/images the OCR cells read: the same page, upright and rotated ~10 degrees. */
export const OCR_IMAGES = ['opencv_imageTextN.png', 'opencv_imageTextR.png'] as const;

/**
 * fixtures/ocr/szeliski-page.txt: their text, transcribed by eye, one printed line per line (from apps/bench/dist or
 * src).
 */
export function szeliskiLines(): string[] {
  const file = resolve(__dirname, '../../../fixtures/ocr/szeliski-page.txt');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
}
