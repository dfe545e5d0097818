/**
 * Non-maximum suppression with torchvision.ops.nms semantics, bit for bit on float32 boxes, and the
 * class-wise (batched) variant Ultralytics uses.
 */

const f32 = Math.fround;
// C++'s std::max / std::min, which differ from Math.max / Math.min on NaN (the first operand wins).
// biome-ignore lint/complexity/useMathMinMax: std::max semantics on NaN, as torchvision's kernel
const stdMax = (a: number, b: number): number => (a < b ? b : a);
// biome-ignore lint/complexity/useMathMinMax: std::min semantics on NaN, as torchvision's kernel
const stdMin = (a: number, b: number): number => (b < a ? b : a);

/** Ultralytics' max_wh: boxes of class c are moved by c * 7680 pixels so classes never overlap. */
export const MAX_WH = 7680;

/**
 * Indices sorted by score, highest first; equal scores keep index order (torchvision sorts with
 * `stable=True`); NaN scores first, as torch's descending sort puts them.
 */
export function sortByScore(scores: ArrayLike<number>, indices?: ArrayLike<number>): Int32Array {
  const order = indices ? Int32Array.from(indices) : Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa > sb) return -1;
    if (sa < sb) return 1;
    const na = Number.isNaN(sa);
    if (na !== Number.isNaN(sb)) return na ? -1 : 1;
    return a - b;
  });
}

function checkInputs(
  fn: string,
  boxes: Float32Array,
  scores: Float32Array,
  iouThreshold: number,
  maxDet: number,
): void {
  if (boxes.length !== 4 * scores.length) {
    throw new RangeError(
      `${fn}: ${boxes.length} box coordinates for ${scores.length} scores; boxes need 4 numbers each (x1, y1, x2, y2)`,
    );
  }
  if (!Number.isFinite(iouThreshold))
    throw new RangeError(`${fn}: iouThreshold must be a finite number, got ${iouThreshold}`);
  if (!(maxDet >= 0)) throw new RangeError(`${fn}: maxDet must be >= 0, got ${maxDet}`);
}

/**
 * torchvision.ops.nms (its CPU kernel, step for step in float32): visit boxes by score, highest first
 * (ties in index order); keep a box unless a kept box overlaps it with IoU > iouThreshold (strictly).
 * Returns the kept indices, highest score first, at most `maxDet` of them (the first `maxDet` of the
 * full result: suppression is greedy, so stopping early changes nothing before the cut).
 * Boxes are [x1, y1, x2, y2] with x1 <= x2, y1 <= y2. Two zero-area boxes have IoU 0 / 0 = NaN,
 * which suppresses nothing, exactly as in torchvision.
 */
export function nms(
  boxes: Float32Array,
  scores: Float32Array,
  iouThreshold: number,
  maxDet = Number.POSITIVE_INFINITY,
): Int32Array {
  checkInputs('nms', boxes, scores, iouThreshold, maxDet);
  const n = scores.length;
  if (n === 0 || maxDet < 1) return new Int32Array(0);
  const areas = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    areas[i] = f32(boxes[4 * i + 2]! - boxes[4 * i]!) * f32(boxes[4 * i + 3]! - boxes[4 * i + 1]!);
  }
  const order = sortByScore(scores);
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let a = 0; a < n; a++) {
    const i = order[a]!;
    if (suppressed[i]) continue;
    keep.push(i);
    if (keep.length >= maxDet) break;
    const ix1 = boxes[4 * i]!;
    const iy1 = boxes[4 * i + 1]!;
    const ix2 = boxes[4 * i + 2]!;
    const iy2 = boxes[4 * i + 3]!;
    const iarea = areas[i]!;
    for (let b = a + 1; b < n; b++) {
      const j = order[b]!;
      if (suppressed[j]) continue;
      const jx1 = boxes[4 * j]!;
      const jy1 = boxes[4 * j + 1]!;
      const jx2 = boxes[4 * j + 2]!;
      const jy2 = boxes[4 * j + 3]!;
      const w = stdMax(0, f32(stdMin(ix2, jx2) - stdMax(ix1, jx1)));
      const h = stdMax(0, f32(stdMin(iy2, jy2) - stdMax(iy1, jy1)));
      const inter = f32(w * h);
      const ovr = f32(inter / f32(f32(iarea + areas[j]!) - inter));
      if (ovr > iouThreshold) suppressed[j] = 1;
    }
  }
  return Int32Array.from(keep);
}

/**
 * Class-wise NMS as Ultralytics' non_max_suppression does it: every box is moved by
 * `class * 7680` (in float32, as the torch tensors are), so boxes of different classes never overlap,
 * then one `nms`. With `agnostic`, classes are ignored (one NMS over all boxes). Same result as
 * torchvision.ops.batched_nms except where float32 rounding of the moved coordinates differs.
 */
export function batchedNms(
  boxes: Float32Array,
  scores: Float32Array,
  classes: Int32Array,
  iouThreshold: number,
  maxDet = Number.POSITIVE_INFINITY,
  agnostic = false,
): Int32Array {
  checkInputs('batchedNms', boxes, scores, iouThreshold, maxDet);
  if (classes.length !== scores.length) {
    throw new RangeError(`batchedNms: ${classes.length} classes for ${scores.length} scores`);
  }
  if (agnostic) return nms(boxes, scores, iouThreshold, maxDet);
  const moved = new Float32Array(boxes.length);
  for (let i = 0; i < scores.length; i++) {
    const offset = classes[i]! * MAX_WH;
    for (let k = 0; k < 4; k++) moved[4 * i + k] = boxes[4 * i + k]! + offset;
  }
  return nms(moved, scores, iouThreshold, maxDet);
}
