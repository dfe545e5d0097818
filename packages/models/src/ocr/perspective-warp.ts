/**
 * cv2.getPerspectiveTransform and cv2.warpPerspective(INTER_LINEAR, BORDER_REPLICATE) on host uint8
 * HWC pixels. Sampling follows OpenCV's fixed point: source coordinates rounded to 1/32 pixel
 * (INTER_TAB_SIZE), bilinear weights in Q15 (exact for 1/32 steps), taps clamped to the image.
 */
import type { Point } from './geometry.js';

/** Row-major 3x3. */
export type Matrix3 = readonly [number, number, number, number, number, number, number, number, number];

const TAB_BITS = 5;
const TAB_SIZE = 1 << TAB_BITS;
const COEF_BITS = 15;

/** The homography taking src[i] to dst[i] (four pairs, no three collinear), as cv2.getPerspectiveTransform. */
export function perspectiveTransform(src: readonly Point[], dst: readonly Point[]): Matrix3 {
  // 8 unknowns: [a b c; d e f; g h 1]
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i]!;
    const [u, v] = dst[i]!;
    A.push([x, y, 1, 0, 0, 0, -x * u, -y * u]);
    b.push(u);
    A.push([0, 0, 0, x, y, 1, -x * v, -y * v]);
    b.push(v);
  }
  const s = solve(A, b);
  return [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!, 1];
}

/** Gaussian elimination with partial pivoting; a singular system gives zeros (a degenerate quad). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return new Array(n).fill(0);
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Inverse of a 3x3 matrix (zeros when singular, as cv::invert leaves a degenerate map). */
export function invert3(m: Matrix3): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) return [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const k = 1 / det;
  return [
    A * k,
    -(b * i - c * h) * k,
    (b * f - c * e) * k,
    B * k,
    (a * i - c * g) * k,
    -(a * f - c * d) * k,
    C * k,
    -(a * h - b * g) * k,
    (a * e - b * d) * k,
  ];
}

/**
 * warpPerspective of `src` (srcH x srcW x cn, uint8 HWC) by the forward homography `m` (src -> dst)
 * into a new dstH x dstW x cn image.
 */
export function warpPerspective(
  src: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  m: Matrix3,
  dstW: number,
  dstH: number,
): Uint8Array {
  const inv = invert3(m);
  const out = new Uint8Array(dstW * dstH * cn);
  const half = 1 << (COEF_BITS - 1);
  const clampX = (x: number) => (x < 0 ? 0 : x >= srcW ? srcW - 1 : x);
  const clampY = (y: number) => (y < 0 ? 0 : y >= srcH ? srcH - 1 : y);
  for (let y = 0; y < dstH; y++) {
    for (let x = 0; x < dstW; x++) {
      const X0 = inv[0] * x + inv[1] * y + inv[2];
      const Y0 = inv[3] * x + inv[4] * y + inv[5];
      let W = inv[6] * x + inv[7] * y + inv[8];
      W = W !== 0 ? TAB_SIZE / W : 0;
      const X = cvRound(Math.max(-2147483648, Math.min(2147483647, X0 * W)));
      const Y = cvRound(Math.max(-2147483648, Math.min(2147483647, Y0 * W)));
      const sx = X >> TAB_BITS;
      const sy = Y >> TAB_BITS;
      const fx = X & (TAB_SIZE - 1);
      const fy = Y & (TAB_SIZE - 1);
      // Q15 weights: products of 1/32 steps, exact in 15 bits
      const w11 = fx * fy * 32;
      const w10 = (TAB_SIZE - fx) * fy * 32;
      const w01 = fx * (TAB_SIZE - fy) * 32;
      const w00 = (TAB_SIZE - fx) * (TAB_SIZE - fy) * 32;
      const x0 = clampX(sx) * cn;
      const x1 = clampX(sx + 1) * cn;
      const r0 = clampY(sy) * srcW * cn;
      const r1 = clampY(sy + 1) * srcW * cn;
      const o = (y * dstW + x) * cn;
      for (let k = 0; k < cn; k++) {
        const v = src[r0 + x0 + k]! * w00 + src[r0 + x1 + k]! * w01 + src[r1 + x0 + k]! * w10 + src[r1 + x1 + k]! * w11;
        out[o + k] = (v + half) >> COEF_BITS;
      }
    }
  }
  return out;
}

/** cvRound: to nearest, halves to even (what the SSE conversion does). */
function cvRound(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
