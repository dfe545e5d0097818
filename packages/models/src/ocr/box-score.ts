/**
 * DBPostProcess.box_score_fast: the mean probability inside a box, over the pixels of its bounding
 * rectangle that cv2.fillPoly marks for the box's corners truncated to integers.
 */
import type { Quad } from './geometry.js';

/** Mean of `prob` (height x width) over the pixels inside `box` (map coordinates); 0 when none. */
export function boxScore(prob: Float32Array, height: number, width: number, box: Quad): number {
  const xs = box.map((p) => p[0]);
  const ys = box.map((p) => p[1]);
  const clamp = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  const xmin = clamp(Math.floor(Math.min(...xs)), width - 1);
  const xmax = clamp(Math.ceil(Math.max(...xs)), width - 1);
  const ymin = clamp(Math.floor(Math.min(...ys)), height - 1);
  const ymax = clamp(Math.ceil(Math.max(...ys)), height - 1);
  // fillPoly takes int32 vertices: numpy's astype truncates toward zero
  const poly = box.map((p) => [Math.trunc(p[0]), Math.trunc(p[1])] as const);
  let sum = 0;
  let count = 0;
  for (let y = ymin; y <= ymax; y++) {
    const [lo, hi] = scanSpan(poly, y);
    const x0 = Math.max(xmin, lo);
    const x1 = Math.min(xmax, hi);
    for (let x = x0; x <= x1; x++) {
      sum += prob[y * width + x]!;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * The columns fillPoly marks on row y of a convex polygon: its edges are drawn as lines too, so a
 * shallow edge marks every pixel whose row its line passes within half a pixel of. Hence the x extent
 * of the polygon over the band [y - 0.5, y + 0.5], not just at y.
 */
function scanSpan(poly: readonly (readonly [number, number])[], y: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const include = (x: number) => {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  };
  for (let i = 0; i < poly.length; i++) {
    const [ax, ay] = poly[i]!;
    const [bx, by] = poly[(i + 1) % poly.length]!;
    const y0 = Math.max(Math.min(ay, by), y - 0.5);
    const y1 = Math.min(Math.max(ay, by), y + 0.5);
    if (y0 > y1) continue;
    if (ay === by) {
      include(ax);
      include(bx);
      continue;
    }
    include(ax + ((y0 - ay) * (bx - ax)) / (by - ay));
    include(ax + ((y1 - ay) * (bx - ax)) / (by - ay));
  }
  return [Math.round(lo), Math.round(hi)];
}
