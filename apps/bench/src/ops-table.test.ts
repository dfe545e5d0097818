import { describe, expect, it } from 'vitest';
import type { CaseId } from './cases.js';
import { type Cell, formatTable, ratio } from './ops-table.js';

const time = (medianMs: number): Cell => ({
  kind: 'time',
  stats: { iterations: 1, warmup: 0, medianMs, p90Ms: medianMs, minMs: medianMs, samplesMs: [medianMs] },
});

describe('formatTable', () => {
  it('prints times, ratios Ocellus / peer, n/a and errors without dropping a row', () => {
    const row = { ours: time(20), peer: time(10) };
    const cells = {
      gray: row,
      'resize-960x540': row,
      'resize-640x640': row,
      'blur-5x5': { ours: { kind: 'error', message: 'kernel not written yet' }, peer: time(10) },
      canny: { ours: time(5), peer: { kind: 'na', why: 'n/a' } },
    } as Record<CaseId, Record<string, Cell>>;
    const lines = formatTable({ libraries: ['ours', 'peer'], cells }).split('\n');
    expect(lines).toHaveLength(2 + 5);
    expect(lines[2]).toMatch(/^gray .*20\.0 \(20\.0\) +10\.0 \(10\.0\) +2\.00x$/);
    expect(lines[5]).toMatch(/error: kernel not written yet +10\.0 \(10\.0\) +-$/);
    expect(lines[6]).toMatch(/5\.00 \(5\.00\) +n\/a +-$/);
  });

  it('divides Ocellus by the peer', () => {
    expect(ratio(time(3), time(12))).toBe('0.25x');
  });
});
