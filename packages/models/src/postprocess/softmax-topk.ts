import type { Classification } from '../types.js';

/**
 * Softmax in float64, shifted by the maximum logit so no exp overflows: p[i] = exp(x[i] - max) / sum.
 * A NaN logit is refused (a broken model output, nothing sensible can be ranked); +Infinity logits
 * share the whole mass, and all -Infinity gives equal probabilities.
 */
export function softmax(logits: ArrayLike<number>): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    if (Number.isNaN(v)) throw new RangeError(`softmax: logit ${i} is NaN; the model output is broken`);
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY) return out.fill(1 / n);
  if (max === Number.POSITIVE_INFINITY) {
    let count = 0;
    for (let i = 0; i < n; i++) if (logits[i] === max) count++;
    for (let i = 0; i < n; i++) out[i] = logits[i] === max ? 1 / count : 0;
    return out;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logits[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / sum;
  return out;
}

/**
 * The k most probable classes, most probable first; equal probabilities are ordered by lower class
 * index. `k` is capped at the number of classes. A class without a label is called `class <index>`.
 */
export function softmaxTopK(logits: Float32Array, k: number, labels: readonly string[]): Classification[] {
  if (!Number.isSafeInteger(k) || k < 0)
    throw new RangeError(`softmaxTopK: k must be a non-negative integer, got ${k}`);
  const probs = softmax(logits);
  const n = Math.min(k, probs.length);
  if (n === 0) return [];
  // Partial selection: keep the best n in a small sorted list (k is small, classes are ~1000).
  const best: number[] = [];
  const before = (a: number, b: number) => probs[a]! > probs[b]! || (probs[a] === probs[b] && a < b);
  for (let i = 0; i < probs.length; i++) {
    if (best.length === n && !before(i, best[n - 1]!)) continue;
    let at = best.length === n ? n - 1 : best.length;
    while (at > 0 && before(i, best[at - 1]!)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best.map((index) => ({ index, label: labels[index] ?? `class ${index}`, score: probs[index]! }));
}
