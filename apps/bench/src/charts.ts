import type { BenchResults, ModelCell } from './bench-results.js';

/**
 * Hand-written SVG bar charts: one group of bars per model, one bar per engine/backend/batch/concurrency
 * series, a value axis with ticks and labels, a legend. Only measured cells are drawn; a chart with
 * nothing measured says so in its middle.
 */

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export interface Bar {
  readonly group: string;
  readonly series: string;
  readonly value: number;
}

export function latencyChart(r: BenchResults): string {
  return barChart(
    'Latency per call, p50 (ms, lower is better)',
    'ms',
    bars(r.cells, (c) => c.latency?.p50Ms),
  );
}

export function throughputChart(r: BenchResults): string {
  return barChart(
    'Throughput (images/s, higher is better)',
    'images/s',
    bars(r.cells, (c) => c.imagesPerSecond),
  );
}

function bars(cells: readonly ModelCell[], value: (c: ModelCell) => number | undefined): Bar[] {
  return cells.flatMap((c) => {
    const v = c.status === 'ok' ? value(c) : undefined;
    if (v === undefined || !Number.isFinite(v)) return [];
    const who = c.engine === 'onnxruntime-node' ? 'raw onnxruntime-node' : `${c.engine} ${c.backend}`;
    return [{ group: c.model, series: `${who} ${c.precision} b${c.batch} c${c.concurrency}`, value: v }];
  });
}

export function barChart(title: string, unit: string, data: readonly Bar[]): string {
  const groups = [...new Set(data.map((b) => b.group))];
  const series = [...new Set(data.map((b) => b.series))];
  const width = Math.max(640, 120 + groups.length * (series.length * 28 + 40));
  const legendRows = series.length;
  const height = 360 + legendRows * 18;
  const plot = { left: 80, top: 50, right: width - 20, bottom: 290 };
  const max = niceMax(Math.max(0, ...data.map((b) => b.value)));
  const y = (v: number) => plot.bottom - (v / max) * (plot.bottom - plot.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ` +
      `${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
  ];
  // Value axis, ticks and grid lines.
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    const yy = y(v).toFixed(1);
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${yy}" y2="${yy}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${plot.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`);
  }
  out.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#333"/>`);
  out.push(
    `<text transform="translate(18 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">` +
      `${esc(unit)}</text>`,
  );
  if (data.length === 0) {
    out.push(
      `<text x="${width / 2}" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" fill="#666">no ` +
        'measured cells</text>',
    );
  }
  const groupWidth = (plot.right - plot.left) / Math.max(1, groups.length);
  const barWidth = Math.min(28, (groupWidth - 20) / Math.max(1, series.length));
  groups.forEach((g, gi) => {
    const x0 = plot.left + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, si) => {
      const bar = data.find((b) => b.group === g && b.series === s);
      if (!bar) return;
      const x = x0 + si * barWidth;
      const top = y(bar.value);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="` +
          `${(plot.bottom - top).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>` +
          `${esc(`${g} ${s}: ${fmt(bar.value)} ${unit}`)}</title></rect>`,
      );
      out.push(
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" ` +
          `font-size="10">${fmt(bar.value)}</text>`,
      );
    });
    out.push(
      `<text x="${(plot.left + (gi + 0.5) * groupWidth).toFixed(1)}" y="${plot.bottom + 18}" ` +
        `text-anchor="middle" font-weight="bold">${esc(g)}</text>`,
    );
  });
  series.forEach((s, si) => {
    const yy = plot.bottom + 44 + si * 18;
    out.push(`<rect x="${plot.left}" y="${yy - 10}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`);
    out.push(`<text x="${plot.left + 18}" y="${yy}">${esc(s)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
