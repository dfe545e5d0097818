import type { LaneRecord } from './lane.js';
import type { JobRecord } from './queue.js';
import type { Samples } from './samples.js';
import { type CounterStats, PRIORITIES, type Priority, type SchedulerStats, type SubmitterStats } from './types.js';

export interface ClassCounters {
  done: number;
  failed: number;
  dropped: number;
  readonly wait: Samples;
  readonly run: Samples;
}

export interface SubmitterCounters {
  dropped: number;
  rejected: number;
  timedOut: number;
}

export interface StatsSources {
  readonly lanes: readonly LaneRecord[];
  readonly queued: readonly JobRecord[];
  readonly classes: readonly ClassCounters[];
  readonly submitters: ReadonlyMap<string, SubmitterCounters>;
  readonly queuedBySubmitter: ReadonlyMap<string, number>;
}

/** A snapshot of the scheduler: per lane, per class and per submitter. */
export function buildStats(src: StatsSources): SchedulerStats {
  const queuedByClass = [0, 0, 0];
  const runningByClass = [0, 0, 0];
  for (const j of src.queued) queuedByClass[PRIORITIES.indexOf(j.priority)]!++;
  for (const lane of src.lanes) for (const r of lane.running) runningByClass[PRIORITIES.indexOf(r.job.priority)]!++;
  const classes = Object.fromEntries(
    PRIORITIES.map((p, i) => {
      const c = src.classes[i]!;
      const s: CounterStats = {
        queued: queuedByClass[i]!,
        running: runningByClass[i]!,
        done: c.done,
        failed: c.failed,
        dropped: c.dropped,
        wait: c.wait.summary(),
        run: c.run.summary(),
      };
      return [p, s];
    }),
  ) as Record<Priority, CounterStats>;
  const lanes = src.lanes.map((l) => ({
    id: l.id,
    device: l.device.id,
    health: l.health,
    fatal: l.fatal,
    failureStreak: l.streak,
    evictions: l.evictions,
    ewmaRunMs: l.ewmaMs,
    ...(l.lastError === undefined ? {} : { lastError: l.lastError }),
    checks: [...l.history],
    queued: src.queued.filter((j) => j.pin === l.id).length,
    running: l.running.size,
    done: l.done,
    failed: l.failed,
    dropped: 0,
    wait: l.waitSamples.summary(),
    run: l.runSamples.summary(),
  }));
  const submitters: Record<string, SubmitterStats> = {};
  for (const [name, c] of src.submitters) submitters[name] = { queued: src.queuedBySubmitter.get(name) ?? 0, ...c };
  return { lanes, classes, submitters };
}
