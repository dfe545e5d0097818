import type { BenchResults, ModelCell } from './bench-results.js';
import { grid, mib, ms, rate } from './models-report.js';
import { formatChainTable } from './chains-table.js';
import { formatStreams } from './streams-table.js';

const MODEL_HEADER = [
  'model',
  'engine',
  'backend',
  'prec',
  'b',
  'c',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'mean ms',
  'img/s',
  'cold ms',
  'vs raw p50',
  'vs raw img/s',
  'host RSS',
  'dev peak',
  'copies/img',
  '% of peak',
];

function modelRow(c: ModelCell): string[] {
  const key = [c.model, c.engine, c.backend, c.precision, String(c.batch), String(c.concurrency)];
  if (c.status !== 'ok' || !c.latency)
    return [...key, c.status === 'error' ? `error: ${c.reason ?? ''}` : (c.reason ?? 'n/a')];
  const l = c.latency;
  return [
    ...key,
    ms(l.p50Ms),
    ms(l.p90Ms),
    ms(l.p99Ms),
    ms(l.meanMs),
    rate(c.imagesPerSecond ?? 0),
    c.coldMs === undefined ? '-' : ms(c.coldMs),
    c.vsRaw ? `${c.vsRaw.p50Ratio.toFixed(2)}x` : '-',
    c.vsRaw ? `${c.vsRaw.throughputRatio.toFixed(2)}x` : '-',
    mib(c.hostPeakRssBytes),
    c.deviceMemory ? mib(c.deviceMemory.sampledPeakBytes) : '-',
    c.copiesPerImage === undefined ? '-' : c.copiesPerImage.toFixed(1),
    c.floor ? `${c.floor.percentOfPeak.toFixed(1)}%` : '-',
  ];
}

/** Rows with a reason instead of numbers put it in the first number column and leave the rest empty. */
function modelTable(cells: readonly ModelCell[]): string {
  const measured = cells.filter((c) => c.status === 'ok');
  const table = measured.length > 0 ? grid(MODEL_HEADER, measured.map(modelRow), 4) : '(no cell measured)';
  return [table, ...notMeasured(cells)].join('\n');
}

/** Cells without numbers, one line each with the reason (grouped by reason to keep it short). */
function notMeasured(cells: readonly ModelCell[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const c of cells) {
    if (c.status === 'ok') continue;
    const why = `${c.status === 'error' ? 'error: ' : ''}${c.reason ?? c.status}`;
    byReason.set(why, [...(byReason.get(why) ?? []), c.id]);
  }
  return [...byReason].map(([why, ids]) => `not measured (${ids.length}): ${why} -- ${ids.join(', ')}`);
}

function opsTable(r: BenchResults): string {
  const ops = [...new Set(r.ops.map((c) => c.op))];
  const libs = [...new Set(r.ops.map((c) => c.library))];
  const header = ['op', ...libs.flatMap((l, i) => (i === 0 ? [`${l} ms`] : [`${l} ms`, 'ratio']))];
  const rows = ops.map((op) => [
    op,
    ...libs.flatMap((lib, i) => {
      const c = r.ops.find((x) => x.op === op && x.library === lib);
      const t = !c
        ? '-'
        : c.status === 'ok'
          ? `${ms(c.medianMs!)} (${ms(c.p90Ms!)})`
          : c.status === 'n/a'
            ? 'n/a'
            : 'error';
      return i === 0 ? [t] : [t, c?.ocellusRatio === undefined ? '-' : `${c.ocellusRatio.toFixed(2)}x`];
    }),
  ]);
  return grid(header, rows, 1);
}

function headerLines(r: BenchResults): string[] {
  const e = r.environment;
  const devices = e.backends.map((b) =>
    b.available
      ? `${b.backend}: ${b.devices.map((d) => `${d.name}${d.driver ? ` (driver ${d.driver})` : ''}`).join(', ')}`
      : `${b.backend}: unavailable (${b.reason ?? '?'})`,
  );
  return [
    `machine: ${e.cpu}, ${e.cores} cores, Node ${e.node}, ${e.platform}, onnxruntime-node ${e.onnxruntime}` +
      `, ${e.date} (load average ${e.load.toFixed(2)})`,
    `backends: ${devices.join('; ')}`,
    r.peak
      ? `peak: ${(r.peak.flopsPerSecond / 1e9).toFixed(1)} GFLOP/s measured by ${r.peak.method}`
      : `peak: not measured (${r.peakReason ?? '?'})`,
    ...r.models.map((m) =>
      m.status === 'ok'
        ? `${m.model}: ` +
          `${m.parameters === undefined ? '' : `${m.parameters.toLocaleString('en-US')} parameters, `}` +
          `${m.weights}; FLOPs/image ` +
          `${m.flopsPerImage === undefined ? `n/a (${m.flopsReason})` : `${(m.flopsPerImage / 1e9).toFixed(2)} G`}`
        : `${m.model}: ${m.reason}`,
    ),
  ];
}

const CHAINS_TITLE =
  'Image-op chains on 1920x1080, one upload and one download each, median ms per phase; vs cpu = this ' +
  'backend / the CPU reference (below 1x faster):';

const LEGEND = [
  'b = images per call, c = calls in flight; latency per call, warm-up excluded; cold = first call after loading',
  'vs raw = pipeline / raw onnxruntime-node loop at the same batch (p50: above 1x slower; img/s: above 1x faster)',
  "host RSS = peak RSS of the cell's process (100 ms samples); dev peak = core device allocatedBytes (100 " +
    'ms samples); copies/img = host<->device copies',
  '% of peak = (FLOPs per image / peak FLOP/s) / measured time per image',
];

/** The terminal report. */
export function formatReport(r: BenchResults): string {
  const lines = [...headerLines(r), '', 'Models:', modelTable(r.cells), ...LEGEND.map((l) => `- ${l}`)];
  if (r.ops.length > 0)
    lines.push('', 'Image ops, median (p90) ms; ratio = Ocellus / library (above 1x Ocellus is slower):', opsTable(r));
  if (r.chains?.length) lines.push('', CHAINS_TITLE, formatChainTable(r.chains));
  if (r.streams) lines.push('', formatStreams(r.streams));
  lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** results.md: the same tables as Markdown. */
export function markdownReport(r: BenchResults): string {
  const md = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${header.map((_, i) => (row[i] ?? '').replace(/\|/g, '\\|')).join(' | ')} |`),
    ].join('\n');
  const parts = [
    `# Ocellus benchmark (results.json schema version ${r.schemaVersion})`,
    '',
    ...headerLines(r).map((l) => `- ${l}`),
    '',
    '## Models',
    '',
    md(MODEL_HEADER, r.cells.map(modelRow)),
    '',
    ...LEGEND.map((l) => `- ${l}`),
  ];
  if (r.ops.length > 0) {
    const [header, , ...rows] = opsTable(r).split('\n');
    void header;
    const libs = [...new Set(r.ops.map((c) => c.library))];
    const h = ['op', ...libs.flatMap((l, i) => (i === 0 ? [`${l} ms`] : [`${l} ms`, 'ratio']))];
    parts.push(
      '',
      '## Image ops',
      '',
      md(
        h,
        rows.map((row) => row.trim().split(/\s{2,}/)),
      ),
    );
  }
  if (r.chains?.length) parts.push('', '## Image-op chains', '', CHAINS_TITLE, '', formatChainTable(r.chains));
  if (r.streams) parts.push('', '## Video streams', '', '```', formatStreams(r.streams), '```');
  parts.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}
