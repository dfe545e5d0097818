import type { ChainCell } from './chains-run.js';

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** A Markdown table of the chain cells: one row per chain and backend, the phases and the ratio to the CPU. */
export function formatChainTable(cells: readonly ChainCell[]): string {
  const rows = [
    '| chain | backend | device | upload ms | kernels ms | download ms | total ms | copies up/down | vs cpu |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of cells) {
    if (c.status !== 'ok' || !c.timing) {
      rows.push(`| ${c.title} | ${c.backend} | ${c.device ?? '-'} | ${c.status}: ${c.reason ?? ''} | | | | | |`);
      continue;
    }
    const t = c.timing;
    const ratio = c.cpuRatio === undefined ? '-' : `${c.cpuRatio.toFixed(2)}x`;
    rows.push(
      `| ${c.title} | ${c.backend} | ${c.device} | ${ms(t.uploadMs)} | ${ms(t.kernelsMs)} | ` +
        `${ms(t.downloadMs)} | ${ms(t.totalMs)} | ${t.uploads}/${t.downloads} | ${ratio} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}
