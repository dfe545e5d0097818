/**
 * Character error rate for OCR: Levenshtein distance (insertions, deletions, substitutions, each 1)
 * between the recognised and the reference text, divided by the reference's length. Both texts are
 * normalised first: every line trimmed, runs of spaces/tabs collapsed to one space, empty lines
 * dropped, lines joined with '\n' (so a missing or extra line break costs 1, a missing line its length).
 */

export function normalizeOcrText(lines: readonly string[] | string): string {
  const list = typeof lines === 'string' ? lines.split('\n') : lines;
  return list
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/** Levenshtein distance over code points (Array.from), so a CJK character counts once. */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = new Uint32Array(t.length + 1);
  let cur = new Uint32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/** CER of `recognised` against `reference` (both normalised as above); 0 for two empty texts. */
export function characterErrorRate(
  recognised: readonly string[] | string,
  reference: readonly string[] | string,
): number {
  const hyp = normalizeOcrText(recognised);
  const ref = normalizeOcrText(reference);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return levenshtein(hyp, ref) / Array.from(ref).length;
}
