/**
 * The text regions of a binarised probability map: 8-connected components (what OpenCV's border
 * following traces as outer contours), each given by its row extremes. The extremes hold every
 * vertex of the component's convex hull, so minAreaRect over them equals minAreaRect over the contour
 * PaddleOCR passes (cv2.findContours, CHAIN_APPROX_SIMPLE). Holes' inner contours are not returned:
 * PaddleOCR would box them too, but a hole in a text line's mask is the same line again.
 */
import type { Point } from './geometry.js';

export interface Component {
  /** Leftmost and rightmost pixel of each row the component touches. */
  readonly extremes: Point[];
  /** Pixel count. */
  readonly area: number;
  /** Raster order of its first pixel (top row first): the order OpenCV finds contours in, reversed. */
  readonly first: number;
}

/** Components of `mask` (non-zero = text) of size height x width, in raster order of their first pixel. */
export function connectedComponents(mask: Uint8Array, height: number, width: number): Component[] {
  const labels = new Int32Array(width * height).fill(-1);
  const stack = new Int32Array(width * height);
  const components: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== -1) continue;
    const id = components.length;
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    let area = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const y = (p / width) | 0;
      const x = p - y * width;
      area++;
      const lo = rowMin.get(y);
      if (lo === undefined || x < lo) rowMin.set(y, x);
      const hi = rowMax.get(y);
      if (hi === undefined || x > hi) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const q = ny * width + nx;
          if (mask[q] !== 0 && labels[q] === -1) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    const extremes: Point[] = [];
    for (const [y, lo] of rowMin) {
      extremes.push([lo, y]);
      const hi = rowMax.get(y)!;
      if (hi !== lo) extremes.push([hi, y]);
    }
    components.push({ extremes, area, first: start });
  }
  return components;
}
