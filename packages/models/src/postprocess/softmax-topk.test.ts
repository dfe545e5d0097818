import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IMAGENET_LABELS } from '../labels/imagenet.js';
import { softmax, softmaxTopK } from './softmax-topk.js';

const PYTHON = '/usr/bin/python3';
const numpyMissing =
  spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0
    ? undefined
    : `numpy reference unavailable (${PYTHON} cannot import numpy): apt-get install python3-numpy`;

describe('softmaxTopK', () => {
  it('gives probabilities that sum to 1, most probable first, labelled', () => {
    const top = softmaxTopK(Float32Array.from([1, 3, 2, 0]), 3, ['a', 'b', 'c', 'd']);
    const e = [1, 3, 2, 0].map((x) => Math.exp(x - 3));
    const sum = e.reduce((s, v) => s + v, 0);
    expect(top).toEqual([
      { index: 1, label: 'b', score: e[1]! / sum },
      { index: 2, label: 'c', score: e[2]! / sum },
      { index: 0, label: 'a', score: e[0]! / sum },
    ]);
    expect(softmax([1, 3, 2, 0]).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  });

  it('is stable for huge logits and breaks ties by the lower index', () => {
    const top = softmaxTopK(Float32Array.from([1000, 5, 1000, -1000, 1000]), 4, []);
    expect(top.map((c) => c.index)).toEqual([0, 2, 4, 1]);
    expect(top[0]!.score).toBe(1 / 3);
    expect(top[3]!.score).toBe(0); // exp(-995) underflows: ties with index 3, the lower index wins
    expect(top[0]!.label).toBe('class 0');
    const flat = softmaxTopK(new Float32Array(10), 10, []);
    expect(flat.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(flat.every((c) => c.score === 0.1)).toBe(true);
  });

  it('caps k, accepts k = 0 and empty logits, refuses NaN and bad k', () => {
    expect(softmaxTopK(Float32Array.from([0, 1]), 5, ['x', 'y']).map((c) => c.label)).toEqual(['y', 'x']);
    expect(softmaxTopK(Float32Array.from([0, 1]), 0, [])).toEqual([]);
    expect(softmaxTopK(new Float32Array(0), 5, [])).toEqual([]);
    expect(
      softmaxTopK(Float32Array.from([Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY]), 3, []).map(
        (c) => c.score,
      ),
    ).toEqual([0.5, 0.5, 0]);
    expect(() => softmaxTopK(Float32Array.from([0, Number.NaN]), 1, [])).toThrow(/logit 1 is NaN/);
    expect(() => softmaxTopK(Float32Array.from([0]), -1, [])).toThrow(/k must be a non-negative integer/);
    expect(() => softmaxTopK(Float32Array.from([0]), 1.5, [])).toThrow(/k must be a non-negative integer/);
  });

  const numpyTitle =
    `matches numpy's float64 softmax and a stable sort on 1000 random logits` +
    `${numpyMissing ? ` [skipped: ${numpyMissing}]` : ''}`;
  it.skipIf(numpyMissing)(numpyTitle, () => {
    let s = 99;
    const logits = Float32Array.from({ length: 1000 }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return (s / 2147483648) * 20 - 10;
    });
    const code = [
      'import json, sys, numpy as np',
      'x = np.array(json.load(sys.stdin), dtype=np.float32).astype(np.float64)',
      'e = np.exp(x - x.max())',
      'p = e / e.sum()',
      "i = np.argsort(-p, kind='stable')[:5]",
      'print(json.dumps({"p": p[i].tolist(), "i": i.tolist()}))',
    ].join('\n');
    const ref = JSON.parse(
      execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(Array.from(logits)), encoding: 'utf8' }),
    ) as {
      p: number[];
      i: number[];
    };
    const top = softmaxTopK(logits, 5, IMAGENET_LABELS);
    expect(top.map((c) => c.index)).toEqual(ref.i);
    for (const [k, c] of top.entries()) expect(Math.abs(c.score - ref.p[k]!)).toBeLessThanOrEqual(1e-15);
    expect(top[0]!.label).toBe(IMAGENET_LABELS[ref.i[0]!]);
  });
});
