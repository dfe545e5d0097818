import { describe, expect, it } from 'vitest';
import { characterErrorRate, levenshtein, normalizeOcrText } from './cer.js';

describe('character error rate', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('文字', '文')).toBe(1);
  });
  it('normalises whitespace and blank lines but not missing spaces', () => {
    expect(normalizeOcrText(['  a   b ', '', 'c\t d'])).toBe('a b\nc d');
    expect(characterErrorRate(['a  b'], 'a b')).toBe(0);
    expect(characterErrorRate(['ab'], 'a b')).toBeCloseTo(1 / 3);
  });
  it('charges a missing line its length plus the line break', () => {
    expect(characterErrorRate(['abc'], ['abc', 'de'])).toBeCloseTo(3 / 6);
    expect(characterErrorRate([], [])).toBe(0);
    expect(characterErrorRate(['x'], [])).toBe(1);
  });
});
