import { join } from 'node:path';
import { type DecodedImage, decodeImage } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PALETTE,
  annotate,
  boxLabel,
  classColor,
  contrasting,
  glyph,
  lineWidth,
  tabSize,
  textScale,
  writeAnnotated,
} from './annotate.js';
import { cleanTempDirs, tempDir } from './test-io.js';

afterAll(cleanTempDirs);

/** A flat grey image. */
function flat(width: number, height: number, channels = 3, value = 100): DecodedImage {
  return { data: new Uint8Array(width * height * channels).fill(value), width, height, channels };
}

function pixel(img: DecodedImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * img.channels;
  return [...img.data.subarray(i, i + img.channels)];
}

const person = { classIndex: 0, label: 'person', score: 0.875, box: [40, 50, 120, 150] as const };

describe('annotate', () => {
  it('draws the box outline in its class colour, leaves the inside and the rest alone, keeps the size', () => {
    const input = flat(200, 180);
    const before = Uint8Array.from(input.data);
    const out = annotate(input, [person]);
    expect([out.width, out.height, out.channels]).toEqual([200, 180, 3]);
    expect(input.data).toEqual(before); // the input is not modified
    const red = [...classColor(0)];
    const t = lineWidth(200, 180);
    expect(t).toBe(2);
    // The four edges, t pixels wide, inward from the box coordinates.
    for (const [x, y] of [
      [40, 100],
      [41, 100],
      [120, 100],
      [119, 100],
      [80, 150],
      [80, 149],
      [80, 50],
    ])
      expect(pixel(out, x!, y!)).toEqual(red);
    expect(pixel(out, 42, 100)).toEqual([100, 100, 100]);
    expect(pixel(out, 80, 100)).toEqual([100, 100, 100]);
    expect(pixel(out, 121, 100)).toEqual([100, 100, 100]);
    expect(pixel(out, 80, 151)).toEqual([100, 100, 100]);
    expect(pixel(out, 10, 170)).toEqual([100, 100, 100]);
  });

  it('writes the label on a filled tab above the box, in a colour that reads on it', () => {
    const out = annotate(flat(200, 180), [person]);
    const scale = textScale(200, 180);
    const [w, h] = tabSize(boxLabel(person), scale);
    expect(boxLabel(person)).toBe('person 0.88');
    const bg = classColor(0);
    const fg = contrasting(bg);
    let background = 0;
    let text = 0;
    for (let y = 50 - h; y < 50; y++) {
      for (let x = 40; x < 40 + w; x++) {
        const p = pixel(out, x, y).join();
        if (p === bg.join()) background++;
        else if (p === fg.join()) text++;
        else throw new Error(`unexpected pixel ${p} at ${x},${y} in the label tab`);
      }
    }
    expect(text).toBeGreaterThan(50);
    expect(background).toBeGreaterThan(text);
    // The first letter, 'p', is the font's glyph, drawn one font pixel in from the tab's corner.
    const rows = glyph('p');
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        const on = ((rows[r]! >> (4 - c)) & 1) === 1;
        expect(pixel(out, 40 + (1 + c) * scale, 50 - h + (1 + r) * scale).join()).toBe((on ? fg : bg).join());
      }
    }
    expect(pixel(out, 40 + w, 50 - h)).toEqual([100, 100, 100]);
  });

  it('puts the tab inside the image when the box touches the top or right edge', () => {
    const box = { classIndex: 3, label: 'motorcycle', score: 0.5, box: [150, 0, 199, 60] as const };
    const out = annotate(flat(200, 100), [box]);
    const [w] = tabSize(boxLabel(box), 1);
    // Shifted left so its right end is the image's right edge, and drawn from the top row down.
    expect(pixel(out, 200 - w, 1)).toEqual([...classColor(3)]);
    expect(pixel(out, 199 - w, 1)).toEqual([100, 100, 100]);
  });

  it('clips boxes that reach outside the image and skips boxes that are not numbers', () => {
    const boxes = [
      { ...person, box: [-50, -20, 500, 400] as const },
      { ...person, classIndex: 5, box: [Number.NaN, 0, 10, 10] as const },
    ];
    const out = annotate(flat(64, 48), boxes);
    expect(pixel(out, 0, 30)).toEqual([...classColor(0)]);
    expect(pixel(out, 63, 30)).toEqual([...classColor(0)]);
    expect(pixel(out, 30, 47)).toEqual([...classColor(0)]);
    expect(out.data.length).toBe(64 * 48 * 3);
    expect(pixel(out, 5, 30)).toEqual([100, 100, 100]);
  });

  it('turns grey and RGBA images into RGB so the colours show', () => {
    for (const channels of [1, 2, 4]) {
      const out = annotate(flat(50, 40, channels, 7), [{ ...person, box: [5, 20, 30, 35] }]);
      expect(out.channels).toBe(3);
      expect(pixel(out, 15, 28)).toEqual([7, 7, 7]);
      expect(pixel(out, 5, 28)).toEqual([...classColor(0)]);
    }
  });

  it('writes the banner across the bottom, shortened when the image is narrow', () => {
    const out = annotate(flat(400, 300), [], { banner: 'architecture-only weights: predictions are meaningless' });
    const scale = textScale(400, 300);
    const h = tabSize('x', scale)[1];
    expect(pixel(out, 399, 299)).toEqual([0, 0, 0]);
    expect(pixel(out, 0, 300 - h)).toEqual([0, 0, 0]);
    expect(pixel(out, 0, 299 - h)).toEqual([100, 100, 100]);
    let white = 0;
    for (let y = 300 - h; y < 300; y++)
      for (let x = 0; x < 400; x++) if (pixel(out, x, y).join() === '255,255,255') white++;
    expect(white).toBeGreaterThan(200);
    expect(() => annotate(flat(8, 20), [], { banner: 'architecture-only' })).not.toThrow();
  });

  it('has a glyph for every printable ASCII character and "?" for the rest', () => {
    expect(PALETTE).toHaveLength(20);
    const seen = new Set<string>();
    for (let c = 33; c <= 126; c++) seen.add(glyph(String.fromCharCode(c)).join());
    expect(seen.size).toBe(94); // every visible character differs from every other
    expect(glyph('é')).toEqual(glyph('?'));
    expect(glyph(' ').every((r) => r === 0)).toBe(true);
  });

  it('writeAnnotated writes a file that decodes to the annotated pixels', async () => {
    const dir = await tempDir();
    const input = flat(120, 90);
    await writeAnnotated(join(dir, 'a.png'), input, [{ ...person, box: [10, 30, 60, 80] }]);
    const back = await decodeImage(join(dir, 'a.png'));
    expect(
      Buffer.from(back.data).equals(Buffer.from(annotate(input, [{ ...person, box: [10, 30, 60, 80] }]).data)),
    ).toBe(true);
  });
});
