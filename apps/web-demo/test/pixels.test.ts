import { describe, expect, it } from 'vitest';
import { rgbaToRgb, toBase64, toRgba } from '../src/pixels.js';

describe('pixel helpers', () => {
  it('drops alpha from canvas RGBA, keeping the colour bytes as they are', () => {
    const rgb = rgbaToRgb(new Uint8ClampedArray([1, 2, 3, 0, 250, 251, 252, 255]), 2, 1);
    expect([rgb.width, rgb.height, rgb.channels]).toEqual([2, 1, 3]);
    expect([...rgb.data]).toEqual([1, 2, 3, 250, 251, 252]);
  });

  it('expands grey, grey+alpha, RGB and RGBA to canvas RGBA', () => {
    const px = (channels: number, data: number[]) => ({ width: 1, height: 1, channels, data: Uint8Array.from(data) });
    expect([...toRgba(px(1, [7]))]).toEqual([7, 7, 7, 255]);
    expect([...toRgba(px(2, [7, 9]))]).toEqual([7, 7, 7, 9]);
    expect([...toRgba(px(3, [1, 2, 3]))]).toEqual([1, 2, 3, 255]);
    expect([...toRgba(px(4, [1, 2, 3, 4]))]).toEqual([1, 2, 3, 4]);
  });

  it('encodes large arrays to base64 in chunks', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) & 0xff);
    expect(Buffer.from(toBase64(bytes), 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});
