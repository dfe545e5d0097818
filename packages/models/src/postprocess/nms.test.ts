import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedNms, nms, sortByScore } from './nms.js';

/** torchvision 0.14's ops.nms / ops.batched_nms (Debian's python3-torchvision, CPU kernels) as the reference. */
const PYTHON = '/usr/bin/python3';

function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision.ops'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return (
    `torchvision reference unavailable (${PYTHON} cannot import torch and torchvision): apt-get install ` +
    'python3-torchvision'
  );
}

const REFERENCE = `
import json, sys, torch, torchvision
out = []
for c in json.load(sys.stdin):
    b = torch.tensor(c["boxes"], dtype=torch.float32).reshape(-1, 4)
    s = torch.tensor(c["scores"], dtype=torch.float32)
    cls = torch.tensor(c["classes"], dtype=torch.int64)
    out.append({
        "nms": torchvision.ops.nms(b, s, c["iou"]).tolist(),
        "batched": torchvision.ops.batched_nms(b, s, cls, c["iou"]).tolist(),
        # Ultralytics non_max_suppression: boxes + class * max_wh (7680), one nms
        "ultralytics": torchvision.ops.nms(b + cls[:, None].float() * 7680, s, c["iou"]).tolist(),
    })
print(json.dumps(out))
`;

interface BoxSet {
  name: string;
  boxes: Float32Array;
  scores: Float32Array;
  classes: Int32Array;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function randomSet(name: string, n: number, seed: number, scoreSteps = 0, nc = 4): BoxSet {
  const r = rng(seed);
  const boxes = new Float32Array(4 * n);
  const scores = new Float32Array(n);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Clustered: boxes around 9 centres so overlaps of every size occur (most boxes are suppressed).
    const cx = 150 * Math.floor(r() * 3) + r() * 30;
    const cy = 150 * Math.floor(r() * 3) + r() * 30;
    const w = 30 + r() * 90;
    const h = 30 + r() * 90;
    boxes.set([cx, cy, cx + w, cy + h], 4 * i);
    scores[i] = scoreSteps ? Math.floor(r() * scoreSteps) / scoreSteps : r();
    classes[i] = Math.floor(r() * nc);
  }
  return { name, boxes, scores, classes };
}

function fixedSet(name: string, boxes: number[][], scores: number[], classes?: number[]): BoxSet {
  return {
    name,
    boxes: Float32Array.from(boxes.flat()),
    scores: Float32Array.from(scores),
    classes: Int32Array.from(classes ?? scores.map(() => 0)),
  };
}

const SETS: BoxSet[] = [
  randomSet('200 random boxes', 200, 7),
  randomSet('200 random boxes, scores tied (10 levels)', 200, 11, 10),
  randomSet('200 random boxes, all scores equal', 200, 13, 1),
  randomSet('1000 random boxes, 80 classes', 1000, 17, 0, 80),
  fixedSet(
    'identical boxes',
    [
      [10, 10, 50, 50],
      [10, 10, 50, 50],
      [10, 10, 50, 50],
      [10, 10, 50, 50],
      [60, 60, 90, 90],
      [60, 60, 90, 90],
    ],
    [0.5, 0.9, 0.9, 0.5, 0.3, 0.3],
    [0, 0, 1, 1, 0, 0],
  ),
  fixedSet(
    'zero-area boxes (points, lines, repeated)',
    [
      [5, 5, 5, 5],
      [5, 5, 5, 5],
      [0, 0, 10, 0],
      [0, 0, 10, 0],
      [0, 0, 10, 10],
      [2, 2, 2, 8],
      [0, 0, 10, 10],
    ],
    [0.9, 0.8, 0.7, 0.7, 0.6, 0.5, 0.4],
  ),
  fixedSet(
    // IoU exactly 0.5 and 0.7 (in float32 too): suppression is for IoU strictly above the threshold.
    'IoU on the threshold',
    [
      [0, 0, 10, 10],
      [0, 0, 10, 20],
      [0, 0, 10, 10],
      [0, 0, 10, 7],
      [100, 0, 110, 10],
      [100, 0, 110, 7],
    ],
    [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
  ),
  fixedSet('empty', [], []),
  fixedSet('one box', [[1, 2, 3, 4]], [0.1]),
];

const THRESHOLDS = [0.3, 0.5, 0.7];

const missing = torchMissing();
const skipNote = missing ? ` [skipped: ${missing}]` : '';

describe('nms and batchedNms against torchvision.ops', () => {
  const refs = new Map<string, { nms: number[]; batched: number[]; ultralytics: number[] }>();
  const key = (set: BoxSet, iou: number) => `${set.name} @ ${iou}`;
  afterAll(() => {
    if (refs.size === 0) return;
    const kept = SETS.filter((set) => set.scores.length >= 200).map(
      (set) =>
        `${set.name}: ${THRESHOLDS.map((iou) => refs.get(key(set, iou))!.nms.length).join('/')} of ` +
        `${set.scores.length} kept`,
    );
    console.log(`nms at IoU ${THRESHOLDS.join('/')}, identical to torchvision: ${kept.join('; ')}`);
  });
  beforeAll(() => {
    if (missing) return;
    const cases = SETS.flatMap((set) =>
      THRESHOLDS.map((iou) => ({
        boxes: Array.from(set.boxes),
        scores: Array.from(set.scores),
        classes: Array.from(set.classes),
        iou,
      })),
    );
    const out = JSON.parse(
      execFileSync(PYTHON, ['-c', REFERENCE], { input: JSON.stringify(cases), encoding: 'utf8' }),
    ) as {
      nms: number[];
      batched: number[];
      ultralytics: number[];
    }[];
    let i = 0;
    for (const set of SETS) for (const iou of THRESHOLDS) refs.set(key(set, iou), out[i++]!);
  });

  for (const set of SETS) {
    it.skipIf(missing)(`${set.name}: same boxes kept, same order, at IoU ${THRESHOLDS.join(', ')}${skipNote}`, () => {
      for (const iou of THRESHOLDS) {
        const ref = refs.get(key(set, iou))!;
        const where = `${set.name} @ ${iou}`;
        expect(Array.from(nms(set.boxes, set.scores, iou)), where).toEqual(ref.nms);
        expect(Array.from(batchedNms(set.boxes, set.scores, set.classes, iou)), where).toEqual(ref.ultralytics);
        expect(Array.from(batchedNms(set.boxes, set.scores, set.classes, iou)), where).toEqual(ref.batched);
        expect(Array.from(batchedNms(set.boxes, set.scores, set.classes, iou, undefined, true)), where).toEqual(
          ref.nms,
        );
        // max_det keeps the first maxDet of the full result.
        for (const maxDet of [0, 1, 3, 10]) {
          expect(Array.from(nms(set.boxes, set.scores, iou, maxDet)), `${where} maxDet ${maxDet}`).toEqual(
            ref.nms.slice(0, maxDet),
          );
          expect(
            Array.from(batchedNms(set.boxes, set.scores, set.classes, iou, maxDet)),
            `${where} maxDet ${maxDet}`,
          ).toEqual(ref.ultralytics.slice(0, maxDet));
        }
      }
    });
  }

  it('keeps equal scores in index order, and the threshold is strict (no torch needed)', () => {
    expect(Array.from(sortByScore(Float32Array.from([0.5, 0.7, 0.7, 0.5, Number.NaN, 0.7])))).toEqual([
      4, 1, 2, 5, 0, 3,
    ]);
    const same = fixedSet(
      'same',
      [
        [0, 0, 10, 10],
        [0, 0, 10, 10],
        [0, 0, 10, 10],
      ],
      [0.5, 0.7, 0.7],
    );
    expect(Array.from(nms(same.boxes, same.scores, 0.5))).toEqual([1]);
    // IoU exactly 0.5: kept at 0.5, suppressed below it.
    const half = fixedSet(
      'half',
      [
        [0, 0, 10, 10],
        [0, 0, 10, 20],
      ],
      [0.9, 0.8],
    );
    expect(Array.from(nms(half.boxes, half.scores, 0.5))).toEqual([0, 1]);
    expect(Array.from(nms(half.boxes, half.scores, 0.49))).toEqual([0]);
    // Different classes never suppress each other unless agnostic.
    expect(Array.from(batchedNms(same.boxes, same.scores, Int32Array.from([0, 1, 2]), 0.5))).toEqual([1, 2, 0]);
    expect(Array.from(batchedNms(same.boxes, same.scores, Int32Array.from([0, 1, 2]), 0.5, 300, true))).toEqual([1]);
    expect(nms(new Float32Array(0), new Float32Array(0), 0.5)).toEqual(new Int32Array(0));
    expect(() => nms(new Float32Array(3), new Float32Array(1), 0.5)).toThrow(/boxes need 4 numbers each/);
    expect(() => batchedNms(new Float32Array(4), new Float32Array(1), new Int32Array(2), 0.5)).toThrow(
      /2 classes for 1 scores/,
    );
  });
});
