/**
 * Plane geometry for text boxes: the convex hull and OpenCV's minAreaRect (rotating calipers over the
 * hull), its four corners, and the quad helpers PaddleOCR's DB post-processing uses.
 */

export type Point = readonly [number, number];
/** Four corners; after `orderClockwise`: top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

export interface RotatedRect {
  readonly center: Point;
  /** Side lengths along the rectangle's two axes (the first along `axis`). */
  readonly width: number;
  readonly height: number;
  /** Unit vector of the first side. */
  readonly axis: Point;
}

/** Andrew's monotone chain; collinear points dropped. Counter-clockwise in y-up terms. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length <= 2) return pts.filter((p, i) => i === 0 || p[0] !== pts[0]![0] || p[1] !== pts[0]![1]);
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * The smallest-area rectangle holding the points, as cv2.minAreaRect finds it: one side lies on an
 * edge of the convex hull, so trying each hull edge is exact. Degenerate inputs (one point, a segment)
 * give zero-size sides, as OpenCV does.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { center: [0, 0], width: 0, height: 0, axis: [1, 0] };
  if (hull.length === 1) return { center: hull[0]!, width: 0, height: 0, axis: [1, 0] };
  let best: RotatedRect | undefined;
  let bestArea = Number.POSITIVE_INFINITY;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = {
        center: [cu * ux - cv * uy, cu * uy + cv * ux],
        width: maxU - minU,
        height: maxV - minV,
        axis: [ux, uy],
      };
    }
  }
  return best as RotatedRect;
}

/** The rectangle's corners (any order; cv2.boxPoints' order does not matter to the callers). */
export function rectCorners(r: RotatedRect): Point[] {
  const [ux, uy] = r.axis;
  const hw = r.width / 2;
  const hh = r.height / 2;
  const [cx, cy] = r.center;
  // v = u rotated by +90 degrees
  return [
    [cx - hw * ux + hh * uy, cy - hw * uy - hh * ux],
    [cx + hw * ux + hh * uy, cy + hw * uy - hh * ux],
    [cx + hw * ux - hh * uy, cy + hw * uy + hh * ux],
    [cx - hw * ux - hh * uy, cy - hw * uy + hh * ux],
  ];
}

/**
 * PaddleOCR's DBPostProcess.get_mini_boxes: the minAreaRect's corners sorted by x, the left pair and
 * the right pair each split by y, giving top-left, top-right, bottom-right, bottom-left; and the short side.
 */
export function miniBox(points: readonly Point[]): { box: Quad; shortSide: number } {
  const rect = minAreaRect(points);
  const p = rectCorners(rect).sort((a, b) => a[0] - b[0]);
  const [i1, i4] = p[1]![1] > p[0]![1] ? [0, 1] : [1, 0];
  const [i2, i3] = p[3]![1] > p[2]![1] ? [2, 3] : [3, 2];
  return { box: [p[i1]!, p[i2]!, p[i3]!, p[i4]!], shortSide: Math.min(rect.width, rect.height) };
}

export function polygonArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

export function polygonPerimeter(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    s += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return s;
}

/**
 * DBPostProcess.unclip for a rectangle: pyclipper's round-joined offset by
 * distance = area * ratio / perimeter, whose minAreaRect is the rectangle grown by that distance on
 * every side (the round joins stay inside it). Returns the grown rectangle's corners in the box's order.
 */
export function unclipRect(box: Quad, ratio: number): Quad {
  const perimeter = polygonPerimeter(box);
  if (perimeter === 0) return box;
  const d = (polygonArea(box) * ratio) / perimeter;
  const cx = (box[0][0] + box[1][0] + box[2][0] + box[3][0]) / 4;
  const cy = (box[0][1] + box[1][1] + box[2][1] + box[3][1]) / 4;
  // unit vectors along the top edge and the left edge; each corner moves d outward along both
  const ux0 = box[1][0] - box[0][0];
  const uy0 = box[1][1] - box[0][1];
  const ul = Math.hypot(ux0, uy0) || 1;
  const vx0 = box[3][0] - box[0][0];
  const vy0 = box[3][1] - box[0][1];
  const vl = Math.hypot(vx0, vy0) || 1;
  const u: Point = [ux0 / ul, uy0 / ul];
  const v: Point = [vx0 / vl, vy0 / vl];
  const grow = (p: Point): Point => {
    const su = Math.sign((p[0] - cx) * u[0] + (p[1] - cy) * u[1]) || 1;
    const sv = Math.sign((p[0] - cx) * v[0] + (p[1] - cy) * v[1]) || 1;
    return [p[0] + d * (su * u[0] + sv * v[0]), p[1] + d * (su * u[1] + sv * v[1])];
  };
  return [grow(box[0]), grow(box[1]), grow(box[2]), grow(box[3])];
}

/** PaddleOCR's order_points_clockwise: top-left (min x+y), top-right (min y-x), bottom-right, bottom-left. */
export function orderClockwise(pts: readonly Point[]): Quad {
  const sums = pts.map((p) => p[0] + p[1]);
  const iMin = sums.indexOf(Math.min(...sums));
  const iMax = sums.indexOf(Math.max(...sums));
  const rest = pts.filter((_, i) => i !== iMin && i !== iMax);
  if (rest.length !== 2) return [pts[0]!, pts[1]!, pts[2]!, pts[3]!]; // all corners alike: nothing to order
  const [a, b] = rest as [Point, Point];
  const [tr, bl] = a[1] - a[0] <= b[1] - b[0] ? [a, b] : [b, a];
  return [pts[iMin]!, tr, pts[iMax]!, bl];
}

/** Euclidean distance. */
export function dist(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
