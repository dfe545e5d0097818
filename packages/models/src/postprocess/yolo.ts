import { type LetterboxGeometry, boxesToOriginal } from '@ocellus/core';
import { COCO_LABELS } from '../labels/coco.js';
import type { Detection } from '../types.js';
import { batchedNms, sortByScore } from './nms.js';

export interface YoloOptions {
  /** Confidence threshold: a box is a candidate when its best class score is > conf (strictly). Ultralytics: 0.25. */
  readonly conf: number;
  /** IoU threshold of the NMS (suppress IoU > iou). Ultralytics: 0.7. */
  readonly iou: number;
  /** At most this many detections. Ultralytics: 300. */
  readonly maxDet: number;
  /** Keep only these class indices (an empty list keeps nothing, as in Ultralytics). */
  readonly classes?: readonly number[];
  /** One NMS over all classes rather than one per class. */
  readonly agnostic?: boolean;
}

/** Ultralytics' defaults for prediction. */
export const YOLO_DEFAULTS: YoloOptions = Object.freeze({ conf: 0.25, iou: 0.7, maxDet: 300 });

/** Ultralytics' max_nms: at most this many candidates (the most confident) go into NMS. */
export const MAX_NMS = 30000;

export interface YoloBoxes {
  /** [x1, y1, x2, y2] per detection, in letterboxed input pixels. */
  readonly boxes: Float32Array;
  readonly scores: Float32Array;
  readonly classIndex: Int32Array;
}

/**
 * Ultralytics `non_max_suppression` for one image of a YOLOv8 detection output [1, 4 + nc, A]
 * (rows cx, cy, w, h, then one score per class; A anchors), single label per box:
 * conf = the best class score (first class on ties), candidates with conf > options.conf, the class
 * filter, xywh -> xyxy in float32, at most 30000 candidates (the most confident), class-wise NMS by
 * the 7680-pixel offset (or agnostic), then the first maxDet. Detections come highest score first.
 */
export function decodeYolo(
  output: Float32Array,
  dims: readonly [number, number, number],
  options: YoloOptions,
): YoloBoxes {
  return drain(decodeYoloSteps(output, dims, options, Number.POSITIVE_INFINITY));
}

/** About this many output values are read between two yields of the stepwise decoders (a few ms). */
export const YOLO_STEP_VALUES = 1 << 17;

/**
 * `decodeYolo` in steps: the generator yields (nothing) after each piece of about `stepValues`
 * output values read, and returns what decodeYolo returns, bit for bit. A caller that must keep its
 * event loop turning runs one step per turn; decodeYolo runs them back to back.
 *
 * The output is read row by row (sequentially): the best class score and its class per anchor, then
 * the anchors above the threshold gathered in anchor order; then the 30000 cap, the NMS and the
 * pick in one last step.
 */
export function* decodeYoloSteps(
  output: Float32Array,
  dims: readonly [number, number, number],
  options: YoloOptions,
  stepValues = YOLO_STEP_VALUES,
): Generator<void, YoloBoxes, void> {
  const [batch, rows, anchors] = dims;
  if (batch !== 1)
    throw new RangeError(`decodeYolo: takes the output of one image [1, 4 + classes, anchors], got batch ${batch}`);
  if (rows < 5) throw new RangeError(`decodeYolo: needs 4 box rows and at least one class row, got ${rows} rows`);
  if (output.length !== rows * anchors) {
    throw new RangeError(
      `decodeYolo: ${output.length} values do not fill [1, ${rows}, ${anchors}] (${rows * anchors})`,
    );
  }
  const wanted = options.classes ? new Set(options.classes) : undefined;
  // conf = the best class score, cls = its class (the first on ties: only a strictly greater score
  // takes over, class by class, as the per-anchor max over the classes does; NaN never takes over)
  const best = output.slice(4 * anchors, 5 * anchors);
  const cls = new Int32Array(anchors);
  let done = anchors;
  for (let r = 5; r < rows; r++) {
    if (done >= stepValues) {
      done = 0;
      yield;
    }
    const c = r - 4;
    const base = r * anchors;
    for (let a = 0; a < anchors; a++) {
      const s = output[base + a]!;
      if (s > best[a]!) {
        best[a] = s;
        cls[a] = c;
      }
    }
    done += anchors;
  }
  const candBoxes: number[] = [];
  const candScores: number[] = [];
  const candClasses: number[] = [];
  const perYield = Math.max(1, Math.floor(stepValues / 8));
  for (let a = 0; a < anchors; a++) {
    if (a % perYield === 0 && a > 0) yield;
    const conf = best[a]!;
    if (!(conf > options.conf)) continue;
    if (wanted && !wanted.has(cls[a]!)) continue;
    const cx = output[a]!;
    const cy = output[anchors + a]!;
    const hw = Math.fround(output[2 * anchors + a]! / 2);
    const hh = Math.fround(output[3 * anchors + a]! / 2);
    candBoxes.push(cx - hw, cy - hh, cx + hw, cy + hh);
    candScores.push(conf);
    candClasses.push(cls[a]!);
  }
  if (Number.isFinite(stepValues)) yield;
  let boxes: Float32Array = Float32Array.from(candBoxes);
  let scores: Float32Array = Float32Array.from(candScores);
  let classes: Int32Array = Int32Array.from(candClasses);
  if (scores.length > MAX_NMS) {
    const top = sortByScore(scores).subarray(0, MAX_NMS);
    ({ boxes, scores, classes } = pick(boxes, scores, classes, top));
  }
  const keep = batchedNms(boxes, scores, classes, options.iou, options.maxDet, options.agnostic ?? false);
  const kept = pick(boxes, scores, classes, keep);
  return { boxes: kept.boxes, scores: kept.scores, classIndex: kept.classes };
}

/** Run a stepwise decoder to the end, no yields in between. */
function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function pick(
  boxes: Float32Array,
  scores: Float32Array,
  classes: Int32Array,
  idx: Int32Array,
): { boxes: Float32Array; scores: Float32Array; classes: Int32Array } {
  const b = new Float32Array(idx.length * 4);
  const s = new Float32Array(idx.length);
  const c = new Int32Array(idx.length);
  idx.forEach((i, k) => {
    b.set(boxes.subarray(4 * i, 4 * i + 4), 4 * k);
    s[k] = scores[i]!;
    c[k] = classes[i]!;
  });
  return { boxes: b, scores: s, classes: c };
}

/**
 * Detections in original image pixels: `decodeYolo`, then each box through the letterbox inverse
 * (core's `boxesToOriginal`: minus the padding, divided by the scale, clipped to the image), labelled.
 */
export function detectionsFromYolo(
  output: Float32Array,
  dims: readonly [number, number, number],
  geometry: LetterboxGeometry,
  options: YoloOptions = YOLO_DEFAULTS,
  labels: readonly string[] = COCO_LABELS,
): Detection[] {
  return drain(detectionsFromYoloSteps(output, dims, geometry, options, labels, Number.POSITIVE_INFINITY));
}

/** `detectionsFromYolo` in steps, as `decodeYoloSteps` (whose steps it runs, then maps the boxes). */
export function* detectionsFromYoloSteps(
  output: Float32Array,
  dims: readonly [number, number, number],
  geometry: LetterboxGeometry,
  options: YoloOptions = YOLO_DEFAULTS,
  labels: readonly string[] = COCO_LABELS,
  stepValues = YOLO_STEP_VALUES,
): Generator<void, Detection[], void> {
  const { boxes, scores, classIndex } = yield* decodeYoloSteps(output, dims, options, stepValues);
  const original = boxesToOriginal(boxes, geometry);
  return Array.from(classIndex, (c, k) => ({
    classIndex: c,
    label: labels[c] ?? `class ${c}`,
    score: scores[k]!,
    box: [original[4 * k]!, original[4 * k + 1]!, original[4 * k + 2]!, original[4 * k + 3]!] as const,
  }));
}
