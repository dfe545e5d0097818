import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode } from './ctc-decode.js';

const CHARS = ['blank', 'a', 'b', ' '];

/** One-hot-ish rows: the index given gets p, the rest share 1 - p. */
function steps(seq: [number, number][]): Float32Array {
  const out = new Float32Array(seq.length * CHARS.length);
  seq.forEach(([k, p], t) => {
    for (let c = 0; c < CHARS.length; c++) out[t * CHARS.length + c] = c === k ? p : (1 - p) / (CHARS.length - 1);
  });
  return out;
}

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks, keeps a repeat split by a blank, averages the kept probabilities', () => {
    const probs = steps([
      [1, 0.9],
      [1, 0.5],
      [0, 0.99],
      [1, 0.7],
      [3, 0.8],
      [2, 0.6],
      [2, 0.9],
    ]);
    const [r] = ctcGreedyDecode(probs, [1, 7, 4], CHARS);
    expect(r!.text).toBe('aa b');
    expect(r!.confidence).toBeCloseTo((0.9 + 0.7 + 0.8 + 0.6) / 4, 6);
  });
  it('gives empty text with confidence 0 for all blanks, per batch item', () => {
    const probs = new Float32Array([
      ...steps([
        [0, 0.9],
        [0, 0.9],
      ]),
      ...steps([
        [2, 0.8],
        [0, 0.9],
      ]),
    ]);
    expect(ctcGreedyDecode(probs, [2, 2, 4], CHARS)).toEqual([
      { text: '', confidence: 0 },
      { text: 'b', confidence: expect.closeTo(0.8, 6) },
    ]);
  });
});
