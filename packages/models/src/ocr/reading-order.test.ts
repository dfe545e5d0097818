import { describe, expect, it } from 'vitest';
import type { Quad } from './geometry.js';
import { readingOrder } from './reading-order.js';

const box = (x: number, y: number): Quad => [
  [x, y],
  [x + 50, y],
  [x + 50, y + 10],
  [x, y + 10],
];

describe('readingOrder (PaddleOCR sorted_boxes)', () => {
  it('reads rows top to bottom and left to right within ~10 px of the same top', () => {
    const items = [box(200, 52), box(10, 50), box(10, 5), box(300, 45), box(100, 58), box(10, 100)];
    const order = readingOrder(items, (q) => q).map((q) => q[0]);
    expect(order).toEqual([
      [10, 5],
      [10, 50],
      [200, 52],
      [300, 45],
      [100, 58],
      [10, 100],
    ]);
  });
  it('keeps an empty list empty', () => {
    expect(readingOrder([], (q: Quad) => q)).toEqual([]);
  });
});
