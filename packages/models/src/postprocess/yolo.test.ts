import { execFileSync, spawnSync } from 'node:child_process';
import { letterboxGeometry } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { COCO_LABELS } from '../labels/coco.js';
import { YOLO_DEFAULTS, type YoloOptions, decodeYolo, detectionsFromYolo } from './yolo.js';

const PYTHON = '/usr/bin/python3';

/** A [1, 4 + nc, A] output with the given anchors (cx, cy, w, h, class scores); other scores 0. */
function output(
  nc: number,
  anchors: { box: [number, number, number, number]; scores: Record<number, number> }[],
): Float32Array {
  const a = anchors.length;
  const out = new Float32Array((4 + nc) * a);
  anchors.forEach(({ box, scores }, i) => {
    for (let k = 0; k < 4; k++) out[k * a + i] = box[k]!;
    for (const [c, s] of Object.entries(scores)) out[(4 + Number(c)) * a + i] = s;
  });
  return out;
}

// Known boxes: 0 and 1 overlap (same class), 2 is 1's box in another class, 3 sits on the threshold.
const KNOWN = output(3, [
  { box: [100, 100, 50, 50], scores: { 0: 0.9 } }, // 0: kept, xyxy [75, 75, 125, 125]
  { box: [102, 101, 50, 50], scores: { 0: 0.8 } }, // 1: suppressed by 0 (IoU ~0.9)
  { box: [102, 101, 50, 50], scores: { 1: 0.85 } }, // 2: other class: kept (suppressed when agnostic)
  { box: [400, 300, 20, 40], scores: { 2: 0.25 } }, // 3: conf not > 0.25: dropped
  { box: [500, 300, 20, 40], scores: { 2: 0.26 } }, // 4: kept
  { box: [300, 500, 10, 10], scores: { 0: 0.1, 1: 0.1, 2: 0.1 } }, // 5: below threshold
  { box: [200, 400, 30, 30], scores: { 1: 0.6, 2: 0.6 } }, // 6: tie between classes: the first (1)
  { box: [600, 600, 40, 20], scores: { 0: 0.3 } }, // 7: kept
]);
const DIMS: [number, number, number] = [1, 7, 8];

describe('decodeYolo (Ultralytics non_max_suppression, one image)', () => {
  it('keeps the known boxes, highest score first, in letterbox pixels', () => {
    const r = decodeYolo(KNOWN, DIMS, YOLO_DEFAULTS);
    expect(Array.from(r.classIndex)).toEqual([0, 1, 1, 0, 2]);
    expect(Array.from(r.scores)).toEqual([0.9, 0.85, 0.6, 0.3, 0.26].map(Math.fround));
    expect(Array.from(r.boxes.subarray(0, 4))).toEqual([75, 75, 125, 125]);
    expect(Array.from(r.boxes.subarray(4, 8))).toEqual([77, 76, 127, 126]);
    expect(Array.from(r.boxes.subarray(16, 20))).toEqual([490, 280, 510, 320]);
  });

  it('applies agnostic NMS, the classes filter, max_det and the thresholds', () => {
    expect(Array.from(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, agnostic: true }).scores)).toEqual(
      [0.9, 0.6, 0.3, 0.26].map(Math.fround),
    );
    expect(Array.from(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, classes: [2] }).classIndex)).toEqual([2]);
    expect(Array.from(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, classes: [0, 1] }).classIndex)).toEqual([0, 1, 1, 0]);
    expect(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, classes: [] }).scores.length).toBe(0);
    expect(Array.from(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, maxDet: 2 }).classIndex)).toEqual([0, 1]);
    expect(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, conf: 0.95 }).scores.length).toBe(0);
    // IoU threshold above the overlap of boxes 0 and 1: both kept.
    expect(decodeYolo(KNOWN, DIMS, { ...YOLO_DEFAULTS, iou: 0.95 }).scores.length).toBe(6);
    expect(decodeYolo(new Float32Array(0), [1, 84, 0], YOLO_DEFAULTS).boxes.length).toBe(0);
    expect(() => decodeYolo(KNOWN, [1, 7, 9], YOLO_DEFAULTS)).toThrow(/do not fill \[1, 7, 9\]/);
    expect(() => decodeYolo(KNOWN, [2, 7, 4], YOLO_DEFAULTS)).toThrow(/one image/);
  });

  it('maps boxes back through the letterbox to the original image, labelled', () => {
    // A 1280x720 image letterboxed to 640: scale 0.5, 140 rows of padding on top.
    const g = letterboxGeometry(720, 1280, {
      width: 640,
      height: 640,
      padValue: 114,
      stride: 32,
      auto: false,
      scaleUp: true,
      center: true,
    });
    expect(g).toMatchObject({ scale: 0.5, padTop: 140, padLeft: 0 });
    const out = output(80, [
      { box: [320, 320, 100, 60], scores: { 16: 0.8 } }, // a dog in the middle
      { box: [5, 150, 20, 30], scores: { 0: 0.7 } }, // reaches into the padding: clipped
    ]);
    const dets = detectionsFromYolo(out, [1, 84, 2], g);
    expect(dets).toEqual([
      { classIndex: 16, label: 'dog', score: Math.fround(0.8), box: [540, 300, 740, 420] },
      { classIndex: 0, label: 'person', score: Math.fround(0.7), box: [0, 0, 30, 50] },
    ]);
    expect(detectionsFromYolo(out, [1, 84, 2], g, YOLO_DEFAULTS, ['a'])[0]!.label).toBe('class 16');
    expect(COCO_LABELS[16]).toBe('dog');
  });
});

// Ultralytics 8.x ops.non_max_suppression for one image, single label, as written there (torch tensors).
const ULTRALYTICS = `
import json, sys, torch, torchvision
req = json.load(sys.stdin)
a = req["anchors"]
pred = torch.tensor(req["output"], dtype=torch.float32).reshape(1, -1, a)
res = []
for o in req["options"]:
    conf_thres, iou_thres, max_det = o["conf"], o["iou"], o["maxDet"]
    classes, agnostic = o.get("classes"), o.get("agnostic", False)
    nc = pred.shape[1] - 4
    xc = pred[:, 4:4 + nc].amax(1) > conf_thres
    p = pred.transpose(-1, -2)
    xy, wh = p[..., :2], p[..., 2:4] / 2
    p = torch.cat((xy - wh, xy + wh, p[..., 4:]), dim=-1)
    x = p[0][xc[0]]
    box, cls = x.split((4, nc), 1)
    conf, j = cls.max(1, keepdim=True)
    x = torch.cat((box, conf, j.float()), 1)[conf.view(-1) > conf_thres]
    if classes is not None:
        x = x[(x[:, 5:6] == torch.tensor(classes, dtype=torch.float32)).any(1)]
    if x.shape[0] > 30000:
        x = x[x[:, 4].argsort(descending=True)[:30000]]
    c = x[:, 5:6] * (0 if agnostic else 7680)
    i = torchvision.ops.nms(x[:, :4] + c, x[:, 4], iou_thres)[:max_det]
    res.append(x[i].tolist())
print(json.dumps(res))
`;

function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision.ops'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return (
    `torchvision reference unavailable (${PYTHON} cannot import torch and torchvision): apt-get install ` +
    'python3-torchvision'
  );
}
const missing = torchMissing();

describe('decodeYolo against a torch transcription of Ultralytics non_max_suppression', () => {
  it.skipIf(missing)(
    `gives the same detections on a random 84 x 2100 output${missing ? ` [skipped: ${missing}]` : ''}`,
    () => {
      let s = 12345;
      const r = () => {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        return (s >>> 0) / 4294967296;
      };
      const anchors = 2100;
      const nc = 80;
      const out = new Float32Array((4 + nc) * anchors);
      for (let a = 0; a < anchors; a++) {
        // Boxes clustered on 36 places, so NMS has work; class scores low except one of classes 0-3 on ~15 % of
        // anchors.
        out[a] = 100 * Math.floor(r() * 6) + 50 + r() * 10;
        out[anchors + a] = 100 * Math.floor(r() * 6) + 50 + r() * 10;
        out[2 * anchors + a] = 50 + r() * 30;
        out[3 * anchors + a] = 50 + r() * 30;
        for (let c = 0; c < nc; c++) out[(4 + c) * anchors + a] = r() * 0.2;
        if (r() < 0.15) out[(4 + Math.floor(r() * 4)) * anchors + a] = r();
      }
      const options: YoloOptions[] = [
        YOLO_DEFAULTS,
        { ...YOLO_DEFAULTS, agnostic: true },
        { ...YOLO_DEFAULTS, classes: [0, 2, 16, 79] },
        { ...YOLO_DEFAULTS, maxDet: 7 },
        { conf: 0.5, iou: 0.45, maxDet: 300 },
      ];
      const ref = JSON.parse(
        execFileSync(PYTHON, ['-c', ULTRALYTICS], {
          input: JSON.stringify({ anchors, output: Array.from(out), options }),
          encoding: 'utf8',
        }),
      ) as number[][][];
      const counts: number[] = [];
      options.forEach((o, k) => {
        const got = decodeYolo(out, [1, 4 + nc, anchors], o);
        const rows = Array.from(got.scores, (score, i) => [
          ...got.boxes.subarray(4 * i, 4 * i + 4),
          score,
          got.classIndex[i]!,
        ]);
        expect(rows, JSON.stringify(o)).toEqual(ref[k]);
        counts.push(rows.length);
      });
      console.log(
        `decodeYolo vs Ultralytics' non_max_suppression (torch): identical detections for ${options.length}` +
          ` option sets (${counts.join('/')} boxes)`,
      );
      expect(counts[0]).toBeGreaterThan(10);
    },
  );
});
