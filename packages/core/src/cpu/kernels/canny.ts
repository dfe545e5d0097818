import { cannyOp } from '../../ops/canny.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';
import { borderIndex } from './border.js';

// tan(22.5 deg) in Q15 as OpenCV's canny.cpp computes it: (int)(0.4142135623730950488 * (1 << 15) + 0.5),
// that literal being the double 0.41421356237309503. It is 13573.
const TG22 = Math.trunc(0.41421356237309503 * (1 << 15) + 0.5);

// Edge map states, as in OpenCV: 0 = candidate (above low, a local maximum), 1 = never an edge, 2 = edge.
const CANDIDATE = 0;
const NOT_EDGE = 1;
const EDGE = 2;

/**
 * OpenCV Canny (aperture 3) on a grey image: integer Sobel with BORDER_REPLICATE, L1 or L2 magnitude,
 * non-maximum suppression in OpenCV's fixed point, then 8-connected hysteresis from the strong pixels.
 * Gradients are computed row by row into 3-row rings (no full-size gradient images); only the edge map
 * (with a 1-pixel NOT_EDGE frame, so the hysteresis never tests for the image edge) is image-sized.
 */
export const cannyKernel = defineCpuKernel(cannyOp, ([image], [out], { low, high, l2 }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const [h, w] = image!.shape as [number, number];
  const [lo, hi] = thresholds(low, high, l2);
  const stride = w + 2;
  const map = new Uint8Array((h + 2) * stride).fill(NOT_EDGE);
  const stack = new Stack(Math.max(1024, (w * h) >> 4));
  suppress(src, h, w, lo, hi, l2, map, stack);
  hysteresis(map, stride, stack);
  for (let y = 0; y < h; y++) {
    const m = (y + 1) * stride + 1;
    const o = y * w;
    for (let x = 0; x < w; x++) dst[o + x] = map[m + x] === EDGE ? 255 : 0;
  }
});

/** OpenCV's threshold handling: swap if low > high; in L2 mode clamp to 32767 and square (the magnitude
 * is not square-rooted); then floor, since magnitudes are integers compared with `>`. */
export function thresholds(low: number, high: number, l2: boolean): [number, number] {
  if (low > high) [low, high] = [high, low];
  if (l2) {
    low = Math.min(32767, low);
    high = Math.min(32767, high);
    if (low > 0) low *= low;
    if (high > 0) high *= high;
  }
  return [Math.floor(low), Math.floor(high)];
}

/** A growable stack of map indices; each pixel is pushed at most once (it is marked EDGE first). */
class Stack {
  data: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(i: number): void {
    if (this.size === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = i;
  }
}

/**
 * Sobel dx, dy and the magnitude of row y (replicated border). The 3x3 kernels are separable: the column
 * sums [1 2 1] and [-1 0 1] are taken once per pixel into `vs`/`vd` (with one replicated column each
 * side), then dx = [-1 0 1] over vs and dy = [1 2 1] over vd. `mag` has a zero column each side.
 */
function gradientRow(
  src: Uint8Array,
  h: number,
  w: number,
  y: number,
  l2: boolean,
  vs: Int32Array,
  vd: Int32Array,
  dx: Int32Array,
  dy: Int32Array,
  mag: Int32Array,
): void {
  const up = borderIndex(y - 1, h, 'replicate') * w;
  const mid = y * w;
  const dn = borderIndex(y + 1, h, 'replicate') * w;
  for (let x = 0; x < w; x++) {
    const a = src[up + x]!;
    const d = src[dn + x]!;
    vs[x + 1] = a + 2 * src[mid + x]! + d;
    vd[x + 1] = d - a;
  }
  vs[0] = vs[1]!;
  vd[0] = vd[1]!;
  vs[w + 1] = vs[w]!;
  vd[w + 1] = vd[w]!;
  for (let x = 0; x < w; x++) {
    const gx = vs[x + 2]! - vs[x]!;
    const gy = vd[x]! + 2 * vd[x + 1]! + vd[x + 2]!;
    dx[x] = gx;
    dy[x] = gy;
    mag[x + 1] = l2 ? gx * gx + gy * gy : (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
  }
}

/**
 * Non-maximum suppression into `map` (CANDIDATE / EDGE / NOT_EDGE), pushing EDGE pixels on the stack.
 * Magnitudes outside the image are 0. The direction test is OpenCV's: with xs = |dx|, ys = |dy| * 2^15,
 * the gradient is horizontal if ys < xs * tan22.5, vertical if ys > xs * tan67.5 (= tan22.5 + 2), else
 * diagonal; ties break as OpenCV's (strict on one side, >= on the other for the axis directions).
 */
function suppress(
  src: Uint8Array,
  h: number,
  w: number,
  low: number,
  high: number,
  l2: boolean,
  map: Uint8Array,
  stack: Stack,
): void {
  const stride = w + 2;
  const vs = new Int32Array(w + 2);
  const vd = new Int32Array(w + 2);
  const zero = new Int32Array(w + 2);
  const mags: Int32Array[] = [];
  const dxs: Int32Array[] = [];
  const dys: Int32Array[] = [];
  for (let i = 0; i < 3; i++) {
    mags.push(new Int32Array(w + 2));
    dxs.push(new Int32Array(w));
    dys.push(new Int32Array(w));
  }
  gradientRow(src, h, w, 0, l2, vs, vd, dxs[0]!, dys[0]!, mags[0]!);
  for (let y = 0; y < h; y++) {
    // row y+1 goes into the slot of row y-2, which is no longer needed
    if (y + 1 < h) {
      const s = (y + 1) % 3;
      gradientRow(src, h, w, y + 1, l2, vs, vd, dxs[s]!, dys[s]!, mags[s]!);
    }
    const prev = y > 0 ? mags[(y - 1) % 3]! : zero;
    const cur = mags[y % 3]!;
    const next = y + 1 < h ? mags[(y + 1) % 3]! : zero;
    const dx = dxs[y % 3]!;
    const dy = dys[y % 3]!;
    const row = (y + 1) * stride + 1;
    for (let x = 0; x < w; x++) {
      const m = cur[x + 1]!;
      if (m <= low) continue; // stays NOT_EDGE
      const gx = dx[x]!;
      const gy = dy[x]!;
      const xs = gx < 0 ? -gx : gx;
      const ys = (gy < 0 ? -gy : gy) * 32768;
      const tg22x = xs * TG22;
      let peak: boolean;
      if (ys < tg22x) {
        peak = m > cur[x]! && m >= cur[x + 2]!;
      } else if (ys > tg22x + xs * 65536) {
        peak = m > prev[x + 1]! && m >= next[x + 1]!;
      } else {
        const s = (gx ^ gy) < 0 ? -1 : 1;
        peak = m > prev[x + 1 - s]! && m > next[x + 1 + s]!;
      }
      if (!peak) continue;
      if (m > high) {
        map[row + x] = EDGE;
        stack.push(row + x);
      } else {
        map[row + x] = CANDIDATE;
      }
    }
  }
}

/** Grows edges from every EDGE pixel into 8-connected CANDIDATE pixels, with an explicit stack. */
function hysteresis(map: Uint8Array, stride: number, stack: Stack): void {
  const offsets = [-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1];
  while (stack.size > 0) {
    const p = stack.data[--stack.size]!;
    for (let k = 0; k < 8; k++) {
      const q = p + offsets[k]!;
      if (map[q] === CANDIDATE) {
        map[q] = EDGE;
        stack.push(q);
      }
    }
  }
}
