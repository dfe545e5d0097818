import { CASES, type CaseId } from './cases.js';
import type { TimingStats } from './timing.js';

/** One library's result for one op: a timing, or why there is none. */
export type Cell =
  | { kind: 'time'; stats: TimingStats }
  | { kind: 'na'; why: string }
  | { kind: 'error'; message: string };

export interface TableInput {
  /** Column order: Ocellus first, then the peers it is compared with. */
  readonly libraries: readonly string[];
  readonly cells: Readonly<Record<CaseId, Readonly<Record<string, Cell>>>>;
}

/**
 * The results as a plain-text table: per op, Ocellus' median (p90) in ms, then for each peer its
 * median (p90) and the ratio Ocellus / that peer (above 1: Ocellus is slower; below 1: faster).
 */
export function formatTable({ libraries, cells }: TableInput): string {
  const [ours, ...peers] = libraries;
  // Each ratio column sits right of the peer it divides by, so a short title is enough.
  const header = ['op', `${ours} ms`, ...peers.flatMap((p) => [`${p} ms`, 'ratio'])];
  const rows = CASES.map(({ id, label }) => {
    const row = cells[id];
    const base = row[ours!];
    return [label, cellText(base), ...peers.flatMap((p) => [cellText(row[p]), ratio(base, row[p])])];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function cellText(cell: Cell | undefined): string {
  if (!cell) return '-';
  if (cell.kind === 'na') return cell.why;
  if (cell.kind === 'error') return `error: ${cell.message}`;
  return `${ms(cell.stats.medianMs)} (${ms(cell.stats.p90Ms)})`;
}

/** Ocellus median / peer median, when both were timed. */
export function ratio(ours: Cell | undefined, peer: Cell | undefined): string {
  if (ours?.kind !== 'time' || peer?.kind !== 'time') return '-';
  return `${(ours.stats.medianMs / peer.stats.medianMs).toFixed(2)}x`;
}

// Three significant digits are all a median over a few dozen runs can carry.
function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
