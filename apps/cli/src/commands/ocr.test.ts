import { join } from 'node:path';
import { decodeImage } from '@ocellus/core';
import { characterErrorRate } from '@ocellus/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classColor } from '../annotate.js';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';
import type { OcrJson } from './ocr.js';
import { annotatePolygons } from './ocr-annotate.js';

const TEXT_N = join(IMAGES, 'opencv_imageTextN.png');
/** The first and last printed lines of the paragraph in opencv_imageTextN.png (read off the image). */
const FIRST = 'technical details are too complex to cover in the book itself.';
const LAST = 'inspiration from three high-level approaches:';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanTempDirs);

describe('ocellus ocr', () => {
  it('prints the documented JSON: image, lines of text, confidence and polygon', async () => {
    const r = await run('ocr', TEXT_N, '--json', '--backend', 'cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as OcrJson[];
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(Object.keys(entry!).sort()).toEqual(['image', 'lines']);
    expect(entry!.image).toBe(TEXT_N);
    expect(entry!.lines).toHaveLength(13);
    expect(entry!.lines[0]!.text).toBe(FIRST);
    expect(entry!.lines.at(-1)!.text).toBe(LAST);
    for (const l of entry!.lines) {
      expect(Object.keys(l).sort()).toEqual(['confidence', 'polygon', 'text']);
      expect(l.polygon).toHaveLength(4);
      expect(l.confidence).toBeGreaterThan(0.5);
    }
  });

  it('prints the lines as text, and draws the polygons with -o (also with --no-cls)', async () => {
    const out = join(dir, 'text.png');
    const r = await run('ocr', TEXT_N, '-o', out, '--no-cls', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`(556x257): 13 lines`);
    expect(r.stdout).toContain(`  ${FIRST}`);
    expect(r.stdout.trim().endsWith(out)).toBe(true);
    const drawn = await decodeImage(out);
    expect([drawn.width, drawn.height]).toEqual([556, 257]);
    // the first line's polygon starts near (30, 18): its outline has the first palette colour
    const [cr, cg, cb] = classColor(0);
    let hits = 0;
    for (let p = 0; p < drawn.width * drawn.height; p++) {
      if (drawn.data[p * 3] === cr && drawn.data[p * 3 + 1] === cg && drawn.data[p * 3 + 2] === cb) hits++;
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('reads the rotated paragraph in reading order', async () => {
    const r = await run('ocr', join(IMAGES, 'opencv_imageTextR.png'), '--json', '--backend', 'cpu');
    const [entry] = JSON.parse(r.stdout) as OcrJson[];
    expect(entry!.lines[0]!.text).toBe(FIRST);
    expect(characterErrorRate([entry!.lines.at(-1)!.text], [LAST])).toBeLessThan(0.1);
  });

  it('names a missing model file and a missing dictionary (exit 1)', async () => {
    const r = await run('ocr', TEXT_N, '--det-model', join(dir, 'missing.onnx'), '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.onnx.*no such file/);
    const d = await run('ocr', TEXT_N, '--dict', join(dir, 'none.txt'), '--backend', 'cpu');
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/none\.txt.*no such file/);
  });

  it('names a corrupt image (exit 1) and refuses bad arguments (exit 2)', async () => {
    const bad = join(dir, 'bad.png');
    await (await import('node:fs/promises')).writeFile(bad, 'not an image');
    const r = await run('ocr', bad, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.png');
    expect((await run('ocr')).code).toBe(2);
    expect((await run('ocr', TEXT_N, TEXT_N, '-o', join(dir, 'x.png'))).stderr).toContain(
      '-o writes one annotated image',
    );
    expect((await run('ocr', TEXT_N, '--no-cls', '--cls-model', 'c.onnx')).code).toBe(2);
  });
});

describe('annotatePolygons', () => {
  it('outlines a polygon and leaves the inside and the original alone', () => {
    const image = { data: new Uint8Array(40 * 30 * 3).fill(255), width: 40, height: 30, channels: 3 };
    const out = annotatePolygons(image, [
      [
        [5, 5],
        [30, 5],
        [30, 20],
        [5, 20],
      ],
    ]);
    const at = (x: number, y: number) => [...out.data.subarray((y * 40 + x) * 3, (y * 40 + x) * 3 + 3)];
    expect(at(15, 5)).toEqual([...classColor(0)]);
    expect(at(15, 12)).toEqual([255, 255, 255]);
    expect(image.data.every((v) => v === 255)).toBe(true);
  });
});
