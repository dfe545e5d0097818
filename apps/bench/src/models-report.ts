import type { BenchModel } from './models-options.js';
import { type LatencyStats, type ThroughputStats, overheadPercent } from './models-stats.js';
import type { RssReport } from './rss.js';

/** What one side (the raw onnxruntime loop or the Ocellus pipeline) measured for one model. */

export type Failure = { readonly error: string };
export type Measured<T> = T | Failure;

export interface ThroughputRow {
  /** Pipeline requests in flight (the raw loop: 1, it blocks the thread while it runs). */
  readonly concurrency: number;
  readonly sessions: number;
  readonly threadsPerSession: number;
  readonly result: Measured<ThroughputStats>;
}

export interface SideResult {
  readonly side: 'raw' | 'pipeline';
  readonly model: BenchModel;
  /** Session creation (raw) or createX + load (pipeline), ms. */
  readonly loadMs?: number;
  /** Batch 1, one request at a time. */
  readonly latency: Measured<LatencyStats>;
  /** Pipeline only: its preprocessing alone (pixels to the model's input tensor), batch 1. */
  readonly preprocess?: Measured<LatencyStats>;
  /** Pipeline only: its session pool alone on the prepared input (the model + the worker hop), batch 1. */
  readonly pool?: Measured<LatencyStats>;
  readonly throughput: readonly ThroughputRow[];
  readonly batches: readonly { readonly batch: number; readonly result: Measured<ThroughputStats> }[];
  /** Peak RSS the process reported itself (getrusage maxrss), bytes. */
  readonly maxRssBytes?: number;
  /** Sampled by the parent every 100 ms. */
  rss?: RssReport;
  readonly notes: readonly string[];
  /** Set when the side could not run at all. */
  readonly error?: string;
}

export interface ModelResult {
  readonly model: BenchModel;
  readonly parameters?: number;
  readonly image: string;
  readonly raw: SideResult;
  readonly pipeline: SideResult;
}

export function failed<T extends object>(m: Measured<T> | undefined): m is Failure | undefined {
  return m === undefined || 'error' in m;
}

/** The table of latencies and memory: one row per side, the overhead on the pipeline's row. */
export function latencyTable(results: readonly ModelResult[]): string {
  const header = [
    'model',
    'side',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'mean ms',
    'img/s',
    'overhead',
    'preproc p50',
    'pool p50',
    'peak RSS',
    'load ms',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    for (const side of [r.raw, r.pipeline]) {
      const l = side.latency;
      const base = r.raw.latency;
      const overhead =
        side.side === 'pipeline' && !failed(l) && !failed(base)
          ? signedPercent(overheadPercent(l.p50Ms, base.p50Ms))
          : '';
      const cells = failed(l)
        ? [errorText(side.error ?? l.error), '', '', '', '', '']
        : [ms(l.p50Ms), ms(l.p90Ms), ms(l.p99Ms), ms(l.meanMs), rate(1000 / l.meanMs), overhead];
      const part = (m: Measured<LatencyStats> | undefined) =>
        m === undefined ? '' : failed(m) ? 'error' : ms(m.p50Ms);
      rows.push([
        side.side === 'raw' ? r.model : '',
        side.side,
        ...cells,
        part(side.preprocess),
        part(side.pool),
        mib(side.rss?.peakBytes),
        side.loadMs === undefined ? '-' : ms(side.loadMs),
      ]);
    }
  }
  return grid(header, rows, 2);
}

/** Images/s of the raw loop against the pipeline at each concurrency; ratio = best pipeline / raw. */
export function throughputTable(results: readonly ModelResult[], concurrency: readonly number[]): string {
  const levels = [1, ...concurrency.filter((c) => c !== 1)];
  const header = ['model', 'raw loop', ...levels.map((c) => `pipeline c${c}`), 'best / raw'];
  const rows = results.map((r) => {
    const raw = r.raw.throughput.find((t) => t.concurrency === 1)?.result;
    const cells = levels.map((c) => {
      const row = r.pipeline.throughput.find((t) => t.concurrency === c);
      return row ? `${rateCell(row.result)} (${row.sessions}x${row.threadsPerSession})` : '-';
    });
    const best = bestRate(r.pipeline.throughput.map((t) => t.result));
    const ratio = !failed(raw) && best ? `${(best.imagesPerSecond / raw.imagesPerSecond).toFixed(2)}x` : '-';
    return [r.model, `${rateCell(raw)} (1x${r.raw.throughput[0]?.threadsPerSession ?? '?'})`, ...cells, ratio];
  });
  return grid(header, rows, 1);
}

/** Images/s at each batch size, one row per side, with the best batch. */
export function batchTable(results: readonly ModelResult[], batches: readonly number[]): string {
  const header = ['model', 'side', ...batches.map((b) => `batch ${b}`), 'best'];
  const rows: string[][] = [];
  for (const r of results) {
    for (const side of [r.raw, r.pipeline]) {
      const cells = batches.map((b) => rateCell(side.batches.find((x) => x.batch === b)?.result));
      const best = bestRate(side.batches.map((x) => x.result));
      rows.push([
        side.side === 'raw' ? r.model : '',
        side.side,
        ...cells,
        best ? `${rate(best.imagesPerSecond)} (b${best.batch})` : '-',
      ]);
    }
  }
  return grid(header, rows, 2);
}

/** The measured result with the most images/s, if any was measured. */
export function bestRate(results: readonly (Measured<ThroughputStats> | undefined)[]): ThroughputStats | undefined {
  let best: ThroughputStats | undefined;
  for (const r of results) if (!failed(r) && (!best || r.imagesPerSecond > best.imagesPerSecond)) best = r;
  return best;
}

/** One line per goal of the models issue, with the numbers of this run (a report, not a verdict on the code). */
export function goalLines(results: readonly ModelResult[]): string[] {
  return results.map((r) => {
    const raw = r.raw.latency;
    const pipe = r.pipeline.latency;
    const overhead = !failed(raw) && !failed(pipe) ? overheadPercent(pipe.p50Ms, raw.p50Ms) : undefined;
    const rawRate = r.raw.throughput[0]?.result;
    const best = bestRate(r.pipeline.throughput.filter((t) => t.concurrency > 1).map((t) => t.result));
    const ratio = best && !failed(rawRate) ? best.imagesPerSecond / rawRate.imagesPerSecond : undefined;
    const pre = r.pipeline.preprocess;
    const pool = r.pipeline.pool;
    const preText =
      !failed(pre) && !failed(raw)
        ? `; preprocessing alone ${ms(pre.p50Ms)} ms = ${((pre.p50Ms / raw.p50Ms) * 100).toFixed(0)}% of the raw p50` +
          (failed(pool) ? '' : `, session pool alone ${ms(pool.p50Ms)} ms`)
        : '';
    const a =
      overhead === undefined
        ? 'overhead -'
        : `overhead ${signedPercent(overhead)} (${overhead < 5 ? 'under' : 'NOT under'} 5%${preText})`;
    const b =
      ratio === undefined
        ? 'concurrency -'
        : `with concurrency ${ratio.toFixed(2)}x the raw loop (${ratio >= 1.3 ? 'at least' : 'NOT at least'} 1.3x)`;
    return `- ${r.model}: ${a}; ${b}`;
  });
}

/** Plain-text columns: the first `left` columns left-aligned, the rest right-aligned. */
export function grid(header: readonly string[], rows: readonly (readonly string[])[], left: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: readonly string[]) =>
    widths
      .map((w, i) => (i < left ? (cols[i] ?? '').padEnd(w) : (cols[i] ?? '').padStart(w)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function rateCell(m: Measured<ThroughputStats> | undefined): string {
  if (m === undefined) return '-';
  return failed(m) ? errorText(m.error) : rate(m.imagesPerSecond);
}

function errorText(message: string): string {
  const short = message.length > 60 ? `${message.slice(0, 57)}...` : message;
  return `error: ${short}`;
}

export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function mib(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

export function signedPercent(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}%`;
}
