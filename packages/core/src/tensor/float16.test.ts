import { describe, expect, it } from 'vitest';
import {
  float16BitsToFloat32,
  float16BitsToFloat32Bits,
  float16ToFloat32Array,
  float32BitsToFloat16Bits,
  float32ToFloat16Array,
  float32ToFloat16Bits,
} from './float16.js';

/** Independent decoder straight from the IEEE-754 definition, in float64 arithmetic. */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => {
  f32[0] = x;
  return u32[0]!;
};

describe('float16 <-> float32', () => {
  it('decodes all 65,536 half values exactly (subnormals, signed zeros, infinities, NaN)', () => {
    let checked = 0;
    for (let h = 0; h < 65536; h++) {
      const want = halfValue(h);
      const got = float16BitsToFloat32(h);
      if (Number.isNaN(want)) {
        expect(Number.isNaN(got), `h=0x${h.toString(16)}`).toBe(true);
        // the payload survives: the top 10 mantissa bits of the float are the half's
        expect((float16BitsToFloat32Bits(h) >>> 13) & 0x3ff).toBe(h & 0x3ff);
      } else {
        if (got !== want || Object.is(got, -0) !== Object.is(want, -0)) {
          throw new Error(`h=0x${h.toString(16)}: expected ${want}, got ${got}`);
        }
      }
      checked++;
    }
    expect(checked).toBe(65536);
  });

  it('round-trips all 65,536 half values through float32 bits exactly (NaN payloads included)', () => {
    for (let h = 0; h < 65536; h++) {
      const back = float32BitsToFloat16Bits(float16BitsToFloat32Bits(h));
      if (back !== h) throw new Error(`h=0x${h.toString(16)} came back as 0x${back.toString(16)}`);
    }
  });

  it('round-trips all 65,536 half values through JS numbers (NaN stays NaN: engines quiet signalling NaNs)', () => {
    for (let h = 0; h < 65536; h++) {
      const back = float32ToFloat16Bits(float16BitsToFloat32(h));
      const nan = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      const ok = nan
        ? (back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0 && (back & 0x8000) === (h & 0x8000)
        : back === h;
      if (!ok) throw new Error(`h=0x${h.toString(16)} came back as 0x${back.toString(16)}`);
    }
  });

  it('rounds every midpoint between neighbouring halves to the even one, and just off it to the nearest', () => {
    // For each pair of adjacent finite positive halves, the exact midpoint is a float32.
    for (let h = 0; h < 0x7bff; h++) {
      const lo = halfValue(h);
      const hi = halfValue(h + 1);
      const mid = (lo + hi) / 2;
      expect(Math.fround(mid)).toBe(mid);
      const even = h % 2 === 0 ? h : h + 1;
      if (float32ToFloat16Bits(mid) !== even)
        throw new Error(`midpoint of 0x${h.toString(16)}: expected 0x${even.toString(16)}`);
      if (float32ToFloat16Bits(-mid) !== (even | 0x8000)) throw new Error(`negative midpoint of 0x${h.toString(16)}`);
      const below = new Float32Array([mid]);
      const u = new Uint32Array(below.buffer);
      u[0]! -= 1; // the next float32 towards zero
      if (float32ToFloat16Bits(below[0]!) !== h) throw new Error(`just below the midpoint of 0x${h.toString(16)}`);
      u[0]! += 2;
      if (float32ToFloat16Bits(below[0]!) !== h + 1) throw new Error(`just above the midpoint of 0x${h.toString(16)}`);
    }
  });

  it('overflows to infinity exactly at 65520 and flushes below 2^-25 to zero', () => {
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e10)).toBe(0xfc00);
    expect(float32ToFloat16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal: even is 0
    expect(float32ToFloat16Bits(Math.fround(2 ** -25 * 1.0000001))).toBe(1);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(1);
    expect(float32ToFloat16Bits(1e-30)).toBe(0);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1.401298464324817e-45)).toBe(0); // float32 subnormal
    const nan = float32ToFloat16Bits(Number.NaN);
    expect(nan & 0x7c00).toBe(0x7c00);
    expect(nan & 0x3ff).not.toBe(0);
  });

  it('converts arrays both ways', () => {
    const src = new Float32Array([0, 1, -2.5, 65504, 1 / 3, Number.NEGATIVE_INFINITY]);
    const half = float32ToFloat16Array(src);
    const back = float16ToFloat32Array(half);
    expect([...back]).toEqual([0, 1, -2.5, 65504, 0.333251953125, Number.NEGATIVE_INFINITY]);
    expect(bitsOf(back[0]!)).toBe(0);
  });
});
