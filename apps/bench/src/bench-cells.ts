import type { Precision } from './bench-options.js';
import { type LatencySummary, type ModelCell, cellId } from './bench-results.js';
import type { DeviceCellStats } from './models-side.js';
import type { LatencyStats, ThroughputStats } from './models-stats.js';

/** Why a precision has no numbers yet, or undefined when it is measured. */
export function precisionReason(p: Precision): string | undefined {
  if (p === 'fp32') return undefined;
  if (p === 'fp16') return "n/a: no fp16 model conversion yet, and onnxruntime-node's cpu EP has few fp16 kernels";
  return 'n/a: no int8 quantisation of the models yet';
}

type CellKey = Pick<ModelCell, 'model' | 'engine' | 'backend' | 'precision' | 'batch' | 'concurrency'>;

export function naCell(key: CellKey, reason: string, status: 'n/a' | 'error' = 'n/a'): ModelCell {
  return { id: cellId(key), ...key, status, reason };
}

export function summary(l: LatencyStats): LatencySummary {
  return { n: l.n, p50Ms: l.p50Ms, p90Ms: l.p90Ms, p99Ms: l.p99Ms, meanMs: l.meanMs, minMs: l.minMs };
}

/** A measured cell from a 'cell' answer, the sampled host RSS, and the device counters if any. */
export function measuredCell(
  key: CellKey,
  m: { stats: ThroughputStats; device?: DeviceCellStats },
  extra: { device?: string; executionProvider: string; coldMs?: number; loadMs?: number; hostPeakRssBytes?: number },
): ModelCell {
  const images = m.stats.calls * m.stats.batch;
  const d = m.device;
  return {
    id: cellId(key),
    ...key,
    ...(d?.device || extra.device ? { device: d?.device ?? extra.device } : {}),
    executionProvider: extra.executionProvider,
    status: 'ok',
    ...(extra.coldMs === undefined ? {} : { coldMs: extra.coldMs }),
    ...(extra.loadMs === undefined ? {} : { loadMs: extra.loadMs }),
    latency: summary(m.stats.latency),
    imagesPerSecond: m.stats.imagesPerSecond,
    calls: m.stats.calls,
    wallMs: m.stats.wallMs,
    ...(extra.hostPeakRssBytes === undefined ? {} : { hostPeakRssBytes: extra.hostPeakRssBytes }),
    ...(d
      ? {
          deviceMemory: {
            sampledPeakBytes: d.sampledPeakBytes,
            contextPeakBytes: d.contextPeakBytes,
            samples: d.samples,
          },
          copiesPerImage: (d.uploads + d.downloads) / images,
          uploadsPerImage: d.uploads / images,
          downloadsPerImage: d.downloads / images,
        }
      : {}),
  };
}

/** Adds the ratios to the raw loop (same model and batch) and the physical floor to measured cells. */
export function withComparisons(
  cells: readonly ModelCell[],
  flopsPerImage: Record<string, number>,
  peakFlops: number | undefined,
): ModelCell[] {
  return cells.map((c) => {
    if (c.status !== 'ok' || !c.latency || !c.imagesPerSecond) return c;
    let out: ModelCell = c;
    const raw = cells.find(
      (r) =>
        r.engine === 'onnxruntime-node' &&
        r.model === c.model &&
        r.batch === c.batch &&
        r.precision === c.precision &&
        r.status === 'ok',
    );
    if (c.engine !== 'onnxruntime-node' && raw?.latency && raw.imagesPerSecond) {
      out = {
        ...out,
        vsRaw: {
          p50Ratio: c.latency.p50Ms / raw.latency.p50Ms,
          throughputRatio: c.imagesPerSecond / raw.imagesPerSecond,
        },
      };
    }
    const flops = flopsPerImage[c.model];
    if (flops !== undefined && peakFlops) {
      const msPerImage = (flops / peakFlops) * 1000;
      out = { ...out, floor: { msPerImage, percentOfPeak: (msPerImage / (1000 / c.imagesPerSecond)) * 100 } };
    }
    return out;
  });
}
