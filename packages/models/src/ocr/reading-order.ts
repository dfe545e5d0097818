/**
 * PaddleOCR's sorted_boxes: top to bottom by the top-left corner, then left to right among boxes whose
 * top-left corners are less than 10 px apart vertically (one row of text).
 */
import type { Quad } from './geometry.js';

/** Rows closer than this (pixels) count as one row. */
export const SAME_ROW_PX = 10;

/** A new array in reading order; `quadOf` picks each item's quad. */
export function readingOrder<T>(items: readonly T[], quadOf: (item: T) => Quad): T[] {
  const sorted = [...items].sort((a, b) => {
    const [ax, ay] = quadOf(a)[0];
    const [bx, by] = quadOf(b)[0];
    return ay - by || ax - bx;
  });
  // the bubble pass of sorted_boxes: move a box left past neighbours on its row that start right of it
  for (let i = 0; i < sorted.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const next = quadOf(sorted[j + 1]!)[0];
      const cur = quadOf(sorted[j]!)[0];
      if (Math.abs(next[1] - cur[1]) < SAME_ROW_PX && next[0] < cur[0]) {
        const t = sorted[j]!;
        sorted[j] = sorted[j + 1]!;
        sorted[j + 1] = t;
      } else break;
    }
  }
  return sorted;
}
