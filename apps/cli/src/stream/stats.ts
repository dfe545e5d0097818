import { type SchedulerStats, percentile } from '@ocellus/core';

/** Per source: what came out, what was dropped where, and the end-to-end latency of every result. */
export class SourceCounters {
  frames = 0;
  /** Jobs the scheduler dropped (live sources' drop-oldest queue policy). */
  schedulerDropped = 0;
  readonly latencies: number[] = [];
  firstReceivedMs: number | undefined;
  lastDoneMs: number | undefined;

  constructor(readonly source: string) {}

  /** A result for a frame received at `receivedAtMs` (performance.now() time), done at `doneMs`. */
  record(receivedAtMs: number, doneMs: number): number {
    const latency = doneMs - receivedAtMs;
    this.frames++;
    this.latencies.push(latency);
    this.firstReceivedMs ??= receivedAtMs;
    this.lastDoneMs = doneMs;
    return latency;
  }

  /** Results per second from the first frame's arrival to the last result. */
  processingFps(): number {
    if (this.firstReceivedMs === undefined || this.lastDoneMs === undefined) return 0;
    const spanMs = this.lastDoneMs - this.firstReceivedMs;
    return spanMs > 0 ? (this.frames * 1000) / spanMs : 0;
  }
}

export interface SourceSummary {
  source: string;
  frames: number;
  dropped: number;
  droppedBySource: number;
  droppedByScheduler: number;
  sourceFps: number;
  processingFps: number;
  latencyMs: { p50: number; p99: number };
}

export interface LaneSummary {
  id: string;
  device: string;
  health: string;
  done: number;
  failed: number;
  runMs: { p50: number; p99: number };
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export function sourceSummary(c: SourceCounters, source: { dropped: number; sourceFps: number }): SourceSummary {
  return {
    source: c.source,
    frames: c.frames,
    dropped: source.dropped + c.schedulerDropped,
    droppedBySource: source.dropped,
    droppedByScheduler: c.schedulerDropped,
    sourceFps: round(source.sourceFps, 3),
    processingFps: round(c.processingFps()),
    latencyMs: { p50: round(percentile(c.latencies, 50)), p99: round(percentile(c.latencies, 99)) },
  };
}

export function laneSummaries(stats: SchedulerStats): LaneSummary[] {
  return stats.lanes.map((l) => ({
    id: l.id,
    device: l.device,
    health: l.health,
    done: l.done,
    failed: l.failed,
    runMs: { p50: round(l.run.p50), p99: round(l.run.p99) },
  }));
}

/** The human summary: one line per source, one per lane. */
export function formatSummary(
  sources: readonly SourceSummary[],
  lanes: readonly LaneSummary[],
  stoppedBy: string,
): string {
  const lines = [`\nstream summary (${stoppedBy}):`];
  for (const s of sources) {
    lines.push(
      `  ${s.source}: ${s.frames} frames, ${s.dropped} dropped (source ${s.droppedBySource}, ` +
        `scheduler ${s.droppedByScheduler}), source ${s.sourceFps.toFixed(1)} fps, ` +
        `processed ${s.processingFps.toFixed(1)} fps, latency p50 ${s.latencyMs.p50.toFixed(1)} ms ` +
        `p99 ${s.latencyMs.p99.toFixed(1)} ms`,
    );
  }
  for (const l of lanes) {
    const run = `run p50 ${l.runMs.p50.toFixed(1)} ms p99 ${l.runMs.p99.toFixed(1)} ms`;
    lines.push(`  ${l.id} (${l.device}, ${l.health}): ${l.done} done, ${l.failed} failed, ${run}`);
  }
  return `${lines.join('\n')}\n`;
}
