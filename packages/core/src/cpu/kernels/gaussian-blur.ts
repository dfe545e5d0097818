import { gaussianBlurOp, gaussianKernel } from '../../ops/gaussian-blur.js';
import { roundHalfEven } from '../../ops/round.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';
import { borderMap } from './border.js';

/**
 * OpenCV 4.x blurs 8-bit images in fixed point, not in float: both passes use the kernel in Q8
 * (ufixedpoint16), the row pass keeps exact Q8 sums in 16 bits, the column pass multiplies them by the
 * Q8 kernel again into Q16 (ufixedpoint32) and rounds once at the end. Everything in between is an exact
 * integer, so doing the same here gives OpenCV's result bit for bit, whatever the loop order.
 */
export const gaussianBlurKernel = defineCpuKernel(gaussianBlurOp, ([image], [out], { ksize, sigma }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const [h, w, c] = image!.shape as [number, number, number];
  // ksize 1 is the identity in OpenCV too (it copies)
  if (ksize === 1) dst.set(src);
  else blurQ8(src, dst, h, w, c, gaussianKernelQ8(ksize, sigma));
});

/**
 * OpenCV's getGaussianKernelFixedPoint_ED: the float kernel quantized to Q8 from both ends inwards,
 * carrying each rounding error into the next tap (cvRound rounds halves to even), and the centre tap
 * taking whatever makes the sum exactly 256, so a flat image stays flat.
 */
export function gaussianKernelQ8(ksize: number, sigma: number): Int32Array {
  const k = gaussianKernel(ksize, sigma);
  const q = new Int32Array(ksize);
  const half = ksize >> 1;
  let err = 0;
  let sum = 0;
  for (let i = 0; i < half; i++) {
    const v = k[i]! * 256 + err;
    const r = roundHalfEven(v);
    err = v - r;
    q[i] = r;
    q[ksize - 1 - i] = r;
    sum += r;
  }
  q[half] = 256 - 2 * sum;
  return q;
}

/**
 * Separable blur with a symmetric Q8 kernel `k`, border reflect-101. Rows are filtered horizontally once
 * each into a ring of `k.length` Q8 rows (exact, at most 255 * 256, so Uint16), then every output row
 * sums its window of ring rows in Q16 and rounds half up, as ufixedpoint32 -> uint8 does.
 */
function blurQ8(src: Uint8Array, dst: Uint8Array, h: number, w: number, c: number, k: Int32Array): void {
  const n = k.length;
  const r = n >> 1;
  const rowLen = w * c;
  const cols = borderMap(w, r, 'reflect101');
  const rows = borderMap(h, r, 'reflect101');
  const padded = new Uint8Array((w + 2 * r) * c);
  const ring: Uint16Array[] = [];
  for (let i = 0; i < n; i++) ring.push(new Uint16Array(rowLen));
  const acc = new Uint32Array(rowLen);
  const window = ring.slice();
  let next = 0; // the next source row to filter horizontally
  for (let y = 0; y < h; y++) {
    // The window y-r..y+r maps (after reflection) into rows max(0, y-r)..min(h-1, y+r): with rows
    // filtered in order, those are always among the last n filtered, i.e. still in the ring.
    const last = Math.min(h - 1, y + r);
    for (; next <= last; next++) rowPass(src, next * rowLen, w, c, r, cols, k, padded, ring[next % n]!);

    for (let i = 0; i < n; i++) window[i] = ring[rows[y + i]! % n]!;
    columnPass(window, k, acc, dst, y * rowLen, rowLen);
  }
}

/**
 * One output row from its n horizontally filtered rows: sum in Q16, + 2^15, >> 16. The 3- and 5-tap
 * kernels (the common ones) take one pass; wider ones add a symmetric pair of rows per pass into `acc`.
 */
function columnPass(
  rows: Uint16Array[],
  k: Int32Array,
  acc: Uint32Array,
  dst: Uint8Array,
  o: number,
  len: number,
): void {
  const r = k.length >> 1;
  const m = rows[r]!;
  const kc = k[r]!;
  if (r === 1) {
    const a = rows[0]!;
    const b = rows[2]!;
    const k0 = k[0]!;
    for (let e = 0; e < len; e++) dst[o + e] = (k0 * (a[e]! + b[e]!) + kc * m[e]! + 32768) >>> 16;
    return;
  }
  if (r === 2) {
    const [a0, a1, , b1, b0] = rows as [Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array];
    const k0 = k[0]!;
    const k1 = k[1]!;
    for (let e = 0; e < len; e++) {
      dst[o + e] = (k0 * (a0[e]! + b0[e]!) + k1 * (a1[e]! + b1[e]!) + kc * m[e]! + 32768) >>> 16;
    }
    return;
  }
  for (let e = 0; e < len; e++) acc[e] = kc * m[e]! + 32768;
  for (let i = 0; i < r; i++) {
    const a = rows[i]!;
    const b = rows[2 * r - i]!;
    const ki = k[i]!;
    if (ki === 0) continue;
    for (let e = 0; e < len; e++) acc[e] += ki * (a[e]! + b[e]!);
  }
  for (let e = 0; e < len; e++) dst[o + e] = acc[e]! >>> 16;
}

/** One source row, filtered horizontally into `row` (Q8). The row is copied into `padded` with its
 * reflected border first, so the tap loops below never test for the edge. */
function rowPass(
  src: Uint8Array,
  off: number,
  w: number,
  c: number,
  r: number,
  cols: Int32Array,
  k: Int32Array,
  padded: Uint8Array,
  row: Uint16Array,
): void {
  const rowLen = w * c;
  padded.set(src.subarray(off, off + rowLen), r * c);
  for (let p = 0; p < r; p++) {
    const left = off + cols[p]! * c;
    const right = off + cols[w + r + p]! * c;
    for (let ch = 0; ch < c; ch++) {
      padded[p * c + ch] = src[left + ch]!;
      padded[(w + r + p) * c + ch] = src[right + ch]!;
    }
  }
  tapPass(padded, c, k, row, rowLen);
}

/** The horizontal taps over a padded row (k is symmetric: the pairs share one multiply). Same shape as
 * columnPass: 3 and 5 taps in one pass, wider kernels one symmetric pair per pass (exact in Uint16). */
function tapPass(p: Uint8Array, c: number, k: Int32Array, row: Uint16Array, len: number): void {
  const r = k.length >> 1;
  const kc = k[r]!;
  const centre = r * c;
  if (r === 1) {
    const k0 = k[0]!;
    const c2 = 2 * c;
    for (let e = 0; e < len; e++) row[e] = k0 * (p[e]! + p[e + c2]!) + kc * p[e + c]!;
    return;
  }
  if (r === 2) {
    const k0 = k[0]!;
    const k1 = k[1]!;
    const c3 = 3 * c;
    const c4 = 4 * c;
    for (let e = 0; e < len; e++) {
      row[e] = k0 * (p[e]! + p[e + c4]!) + k1 * (p[e + c]! + p[e + c3]!) + kc * p[e + centre]!;
    }
    return;
  }
  for (let e = 0; e < len; e++) row[e] = kc * p[e + centre]!;
  for (let i = 0; i < r; i++) {
    const ki = k[i]!;
    if (ki === 0) continue;
    const lo = i * c;
    const hi = (2 * r - i) * c;
    for (let e = 0; e < len; e++) row[e] += ki * (p[e + lo]! + p[e + hi]!);
  }
}
