import { describe, expect, it } from 'vitest';
import { detInputSize, detNormalize } from './det-input.js';
import { CLS_WIDTH, lineBatch, recBatchWidth } from './line-input.js';

const crop = (width: number, height: number, value: number) => ({
  data: new Uint8Array(width * height * 3).fill(value),
  width,
  height,
  channels: 3,
});

describe('recognition / classifier input', () => {
  it('is at least 320 wide, else 48 x the widest aspect ratio', () => {
    expect(recBatchWidth([crop(100, 48, 0)])).toBe(320);
    expect(recBatchWidth([crop(100, 48, 0), crop(500, 15, 0)])).toBe(1600);
  });
  it('keeps the aspect ratio, pads with zeros, maps 0..255 to -1..1 in B, G, R order', () => {
    const c = { data: new Uint8Array(24 * 12 * 3), width: 24, height: 12, channels: 3 };
    for (let p = 0; p < 24 * 12; p++) c.data.set([255, 0, 51], p * 3); // R, G, B
    const { data, dims } = lineBatch([c], 320);
    expect(dims).toEqual([1, 3, 48, 320]);
    const plane = 48 * 320;
    expect(data[0]).toBeCloseTo(51 / 127.5 - 1, 6); // B
    expect(data[plane]).toBe(-1); // G
    expect(data[2 * plane]).toBe(1); // R
    expect(data[95]).toBeCloseTo(51 / 127.5 - 1, 6); // the resized crop is ceil(48 * 2) = 96 wide
    expect(data[96]).toBe(0); // padding
  });
  it('squeezes a long crop into the classifier width', () => {
    const { dims, data } = lineBatch([crop(1000, 10, 255)], CLS_WIDTH);
    expect(dims).toEqual([1, 3, 48, 192]);
    expect(data[191]).toBe(1);
  });
});

describe('detection input size and normalisation', () => {
  it("limits the long side to 960 and rounds to multiples of 32 (Python's round)", () => {
    expect(detInputSize(257, 556)).toEqual({ height: 256, width: 544 });
    expect(detInputSize(1, 1)).toEqual({ height: 32, width: 32 });
    expect(detInputSize(600, 8400)).toEqual({ height: 64, width: 960 });
    expect(detInputSize(48, 100)).toEqual({ height: 64, width: 96 }); // round(1.5) = 2, round(3.125) = 3
    expect(detInputSize(80, 100)).toEqual({ height: 64, width: 96 }); // 80 / 32 = 2.5 rounds to even: 2
  });
  it('normalises blue with the first ImageNet mean/std (PaddleOCR reads BGR)', () => {
    const out = detNormalize(new Uint8Array([10, 20, 30]), 1, 1);
    expect(out[0]).toBeCloseTo((30 / 255 - 0.485) / 0.229, 5);
    expect(out[1]).toBeCloseTo((20 / 255 - 0.456) / 0.224, 5);
    expect(out[2]).toBeCloseTo((10 / 255 - 0.406) / 0.225, 5);
  });
});
