import type { RunMeasure } from './streams-run.js';
import { latencyStats } from './models-stats.js';

/**
 * The `streams` section of results.json: the same video workload (N sources, source 0 realtime and
 * live-paced, the rest batch files) run by a naive loop and through the Scheduler over lanes.
 */
export interface StreamLatency {
  readonly n: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface StreamCell {
  /** `${mode}/${lanes}x${laneCount}`, e.g. 'scheduled/cpux2', 'naive/simulatedx1'. */
  readonly id: string;
  readonly mode: 'naive' | 'scheduled';
  /** 'cpu': real pipelines; 'simulated': fault-injection devices whose job sleeps the measured inference time. */
  readonly lanes: 'cpu' | 'simulated';
  readonly laneCount: number;
  readonly frames: number;
  readonly wallMs: number;
  readonly framesPerSecond: number;
  readonly dropped: number;
  readonly droppedBySource: number;
  readonly droppedByScheduler: number;
  /** End-to-end latency (result time - frame arrival) per priority class. */
  readonly latency: { readonly realtime?: StreamLatency; readonly batch?: StreamLatency };
  /** Machine CPU busy during the run, 0..1 of all cores. */
  readonly cpuBusy?: number;
  /** Per lane: jobs done, median run and queue wait (scheduled cells). */
  readonly laneStats?: readonly { id: string; done: number; runP50Ms: number; waitP50Ms: number }[];
  /** Against the naive loop on the same kind of lane: frames/s ratio, realtime p99 ratio (below 1 better). */
  readonly vsNaive?: { readonly framesPerSecondRatio: number; readonly realtimeP99Ratio?: number };
}

export interface StreamsSection {
  readonly workload: {
    readonly sources: number;
    readonly seconds: number;
    readonly fps: number;
    readonly width: number;
    readonly height: number;
    readonly model: string;
    readonly realtimeSources: number;
  };
  /** The model's run() per frame, median ms in the first scheduled cpu cell (what a simulated lane sleeps). */
  readonly inferenceMs: number;
  readonly cells: readonly StreamCell[];
  /** The goal: the best scheduled cpu cell >= 1.3x the naive loop's frames/s with a lower realtime p99. */
  readonly goal: { readonly met: boolean; readonly text: string };
}

function latency(samples: readonly number[]): StreamLatency | undefined {
  if (samples.length === 0) return undefined;
  const l = latencyStats(samples);
  return { n: l.n, p50Ms: l.p50Ms, p99Ms: l.p99Ms };
}

export function streamCell(
  mode: StreamCell['mode'],
  lanes: StreamCell['lanes'],
  laneCount: number,
  m: RunMeasure,
): StreamCell {
  const realtime = latency(m.latencies.realtime);
  const batch = latency(m.latencies.batch);
  return {
    id: `${mode}/${lanes}x${laneCount}`,
    mode,
    lanes,
    laneCount,
    frames: m.frames,
    wallMs: m.wallMs,
    framesPerSecond: (m.frames * 1000) / m.wallMs,
    dropped: m.dropped,
    droppedBySource: m.droppedBySource,
    droppedByScheduler: m.droppedByScheduler,
    latency: { ...(realtime ? { realtime } : {}), ...(batch ? { batch } : {}) },
    ...(Number.isFinite(m.cpuBusy) ? { cpuBusy: m.cpuBusy } : {}),
    ...(m.lanes ? { laneStats: m.lanes } : {}),
  };
}

/** Adds vsNaive to every scheduled cell (against the naive cell of the same lane kind). */
export function withNaiveRatios(cells: readonly StreamCell[]): StreamCell[] {
  return cells.map((c) => {
    const naive = cells.find((n) => n.mode === 'naive' && n.lanes === c.lanes);
    if (c.mode !== 'scheduled' || !naive) return c;
    const rt = c.latency.realtime;
    const nrt = naive.latency.realtime;
    return {
      ...c,
      vsNaive: {
        framesPerSecondRatio: c.framesPerSecond / naive.framesPerSecond,
        ...(rt && nrt ? { realtimeP99Ratio: rt.p99Ms / nrt.p99Ms } : {}),
      },
    };
  });
}

/** Whether the best scheduled cpu cell reaches 1.3x the naive frames/s with a lower realtime p99, in words. */
export function goal(cells: readonly StreamCell[]): StreamsSection['goal'] {
  const naive = cells.find((c) => c.id === 'naive/cpux1');
  const best = cells
    .filter((c) => c.mode === 'scheduled' && c.lanes === 'cpu')
    .sort((a, b) => b.framesPerSecond - a.framesPerSecond)[0];
  if (!naive || !best?.vsNaive) return { met: false, text: 'not measured (no naive or scheduled cpu cell)' };
  const ratio = best.vsNaive.framesPerSecondRatio;
  const p99 = best.latency.realtime?.p99Ms;
  const naiveP99 = naive.latency.realtime?.p99Ms;
  const lower = p99 !== undefined && naiveP99 !== undefined && p99 < naiveP99;
  const met = ratio >= 1.3 && lower;
  const p99Text =
    p99 === undefined || naiveP99 === undefined
      ? 'realtime p99 n/a'
      : `realtime p99 ${p99.toFixed(0)} ms vs ${naiveP99.toFixed(0)} ms`;
  const fps = `${best.framesPerSecond.toFixed(1)} frames/s = ${ratio.toFixed(2)}x the naive loop`;
  return {
    met,
    text:
      `${met ? 'met' : 'not met'}: ${best.id} ${fps} (${naive.framesPerSecond.toFixed(1)}; goal 1.3x), ` +
      `${p99Text} (goal: lower)`,
  };
}
