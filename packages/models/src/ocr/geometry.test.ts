import { describe, expect, it } from 'vitest';
import { type Point, convexHull, minAreaRect, miniBox, orderClockwise, rectCorners, unclipRect } from './geometry.js';
import { ocrReference, openCVMissing, seeded } from './test-reference.js';

const missing = openCVMissing();
const note = missing ? ` [skipped: ${missing}]` : '';

/** Corners as a set: sorted, so two orders of the same rectangle compare equal. */
const sortCorners = (c: readonly Point[]) =>
  [...c].map((p) => [p[0], p[1]]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

describe('minAreaRect', () => {
  it('finds an axis-aligned rectangle and a rotated one', () => {
    const r = minAreaRect([
      [0, 0],
      [10, 0],
      [10, 4],
      [0, 4],
      [5, 2],
    ]);
    expect([r.width, r.height].sort((a, b) => a - b)).toEqual([4, 10]);
    expect(r.center[0]).toBeCloseTo(5);
    expect(r.center[1]).toBeCloseTo(2);
    // a 45-degree square of side sqrt(2)
    const d = minAreaRect([
      [1, 0],
      [2, 1],
      [1, 2],
      [0, 1],
    ]);
    expect(d.width * d.height).toBeCloseTo(2);
  });

  it('gives zero sides for a point and a segment', () => {
    expect(minAreaRect([[3, 4]])).toMatchObject({ width: 0, height: 0, center: [3, 4] });
    const s = minAreaRect([
      [0, 0],
      [3, 4],
      [6, 8],
    ]);
    expect(Math.min(s.width, s.height)).toBeCloseTo(0);
    expect(Math.max(s.width, s.height)).toBeCloseTo(10);
  });

  it.skipIf(missing)(`matches cv2.minAreaRect on 200 random point sets${note}`, () => {
    const rand = seeded(7);
    const sets: Point[][] = [];
    for (let k = 0; k < 200; k++) {
      const n = 3 + Math.floor(rand() * 40);
      // integer points, as contours are, in a rotated elongated cloud like a text line
      const a = rand() * Math.PI;
      const len = 20 + rand() * 300;
      const thick = 3 + rand() * 20;
      sets.push(
        Array.from({ length: n }, () => {
          const u = (rand() - 0.5) * len;
          const v = (rand() - 0.5) * thick;
          return [
            Math.round(200 + u * Math.cos(a) - v * Math.sin(a)),
            Math.round(200 + u * Math.sin(a) + v * Math.cos(a)),
          ] as Point;
        }),
      );
    }
    const refs = ocrReference(
      () => sets.map((points) => ({ op: 'minarearect', points })),
      (r) => r as { corners: Point[]; size: [number, number] }[],
    );
    sets.forEach((points, k) => {
      const ours = minAreaRect(points);
      const ref = refs[k]!;
      expect(ours.width * ours.height).toBeCloseTo(ref.size[0] * ref.size[1], 1);
      const a = sortCorners(rectCorners(ours));
      const b = sortCorners(ref.corners);
      // the same rectangle (ties between equal-area rectangles are rare with these clouds)
      for (let i = 0; i < 4; i++) {
        expect(a[i]![0]).toBeCloseTo(b[i]![0]!, 2);
        expect(a[i]![1]).toBeCloseTo(b[i]![1]!, 2);
      }
    });
  });
});

describe('miniBox, unclip and corner order', () => {
  it('orders corners top-left, top-right, bottom-right, bottom-left with the short side', () => {
    const { box, shortSide } = miniBox([
      [10, 20],
      [110, 20],
      [110, 40],
      [10, 40],
    ]);
    expect(box).toEqual([
      [10, 20],
      [110, 20],
      [110, 40],
      [10, 40],
    ]);
    expect(shortSide).toBe(20);
  });

  it('grows a rectangle by area * ratio / perimeter on every side', () => {
    const grown = unclipRect(
      [
        [10, 20],
        [110, 20],
        [110, 40],
        [10, 40],
      ],
      1.5,
    );
    const d = (100 * 20 * 1.5) / 240; // 12.5
    expect(grown).toEqual([
      [10 - d, 20 - d],
      [110 + d, 20 - d],
      [110 + d, 40 + d],
      [10 - d, 40 + d],
    ]);
  });

  it('orders clockwise from the top-left like order_points_clockwise', () => {
    expect(
      orderClockwise([
        [5, 9],
        [0, 0],
        [5, 0],
        [0, 9],
      ]),
    ).toEqual([
      [0, 0],
      [5, 0],
      [5, 9],
      [0, 9],
    ]);
  });

  it('keeps hull vertices only', () => {
    expect(
      convexHull([
        [0, 0],
        [2, 0],
        [1, 0],
        [2, 2],
        [0, 2],
        [1, 1],
      ]),
    ).toHaveLength(4);
  });
});
