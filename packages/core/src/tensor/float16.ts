/**
 * IEEE-754 binary16 <-> binary32 conversion, bit-exact: round to nearest, ties to even; subnormals,
 * signed zeros, infinities and NaN payloads (their top 10 bits) are kept. Node 20 has no Float16Array,
 * so half values travel as raw bits in a Uint16Array.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits nearest to `value` (ties to even). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  return float32BitsToFloat16Bits(u32[0]!);
}

/**
 * The same from float32 bits. JS numbers cannot carry a signalling NaN (the engine quiets it), so code
 * that must keep NaN payloads bit-exact converts bits, not numbers.
 */
export function float32BitsToFloat16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign | 0x7c00;
    const payload = mant >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const e = exp - 112; // the half's biased exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half of the smallest subnormal: rounds to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half; // a carry out of the mantissa lands in the exponent, which is right
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++; // a carry may reach infinity: right
  return sign | half;
}

/** The float32 bits of a binary16 value (exact: every half is a float). */
export function float16BitsToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const e = (h >>> 10) & 0x1f;
  let m = h & 0x3ff;
  if (e === 0x1f) return (sign | 0x7f800000 | (m << 13)) >>> 0;
  if (e !== 0) return (sign | ((e + 112) << 23) | (m << 13)) >>> 0;
  if (m === 0) return sign >>> 0;
  // Subnormal half: normalise into a float32 normal.
  let exp = 113;
  while ((m & 0x400) === 0) {
    m <<= 1;
    exp--;
  }
  return (sign | (exp << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

let table: Float32Array | undefined;

/** The float value of binary16 bits `h`. */
export function float16BitsToFloat32(h: number): number {
  table ??= buildTable();
  return table[h & 0xffff]!;
}

function buildTable(): Float32Array {
  const bits = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) bits[h] = float16BitsToFloat32Bits(h);
  return new Float32Array(bits.buffer);
}

/** Decodes a whole array of half bits. */
export function float16ToFloat32Array(src: Uint16Array, dst = new Float32Array(src.length)): Float32Array {
  table ??= buildTable();
  for (let i = 0; i < src.length; i++) dst[i] = table[src[i]!]!;
  return dst;
}

/** Encodes a whole array into half bits (ties to even). */
export function float32ToFloat16Array(src: ArrayLike<number>, dst = new Uint16Array(src.length)): Uint16Array {
  for (let i = 0; i < src.length; i++) dst[i] = float32ToFloat16Bits(src[i]!);
  return dst;
}
