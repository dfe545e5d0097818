/**
 * PaddleOCR's CTCLabelDecode, greedy: the best class per time step, repeats merged, blanks (index 0)
 * dropped; the confidence is the mean of the kept steps' probabilities (0 when nothing is kept).
 */

export interface DecodedText {
  readonly text: string;
  readonly confidence: number;
}

/** Decode `probs` [batch, steps, classes] (softmax outputs) with `characters` (index 0 = blank). */
export function ctcGreedyDecode(
  probs: Float32Array,
  dims: readonly number[],
  characters: readonly string[],
): DecodedText[] {
  const [batch, steps, classes] = dims as [number, number, number];
  const out: DecodedText[] = [];
  for (let b = 0; b < batch; b++) {
    let text = '';
    let sum = 0;
    let kept = 0;
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      const row = (b * steps + t) * classes;
      let best = 0;
      let bestP = probs[row]!;
      for (let k = 1; k < classes; k++) {
        const p = probs[row + k]!;
        if (p > bestP) {
          bestP = p;
          best = k;
        }
      }
      if (best !== 0 && best !== previous) {
        text += characters[best] ?? '';
        sum += bestP;
        kept++;
      }
      previous = best;
    }
    out.push({ text, confidence: kept === 0 ? 0 : sum / kept });
  }
  return out;
}
