import type { Device } from '../backend/device.js';
import type { HealthCheck } from './health.js';

/** Job classes, highest first. */
export type Priority = 'realtime' | 'normal' | 'batch';
export const PRIORITIES: readonly Priority[] = ['realtime', 'normal', 'batch'];

/** What a job sees of the lane it runs on. `state` is whatever was bound to the lane (e.g. a pipeline). */
export interface Lane<S = unknown> {
  readonly id: string;
  readonly device: Device;
  readonly state: S;
  readonly weight: number;
  readonly concurrency: number;
}

/** A job: runs on one lane; `signal` aborts when the run is abandoned (eviction, timeout, cancel, close). */
export type Job<T, S = unknown> = (lane: Lane<S>, signal: AbortSignal) => Promise<T> | T;

export interface LaneOptions<S = unknown> {
  /** Unique lane id (e.g. the device id). */
  id: string;
  device: Device;
  /** Whatever the jobs need on this lane (a model pipeline instance...). */
  state?: S;
  /** Relative speed hint before run times are measured, and a multiplier after (default 1). */
  weight?: number;
  /** Jobs run at once on this lane (default 1). */
  concurrency?: number;
  /** The known-answer check (default: grayscale of a fixed image compared with the CPU reference). */
  healthCheck?: HealthCheck;
  /** Run timeout of one job on this lane in ms (default: the scheduler's runTimeoutMs). */
  runTimeoutMs?: number;
  /** Free bytes for jobs' `memoryBytes`: a number or a function (default: device memory minus allocated). */
  freeMemory?: number | (() => number);
}

export interface SubmitOptions {
  /** Default 'normal'. */
  priority?: Priority;
  /** Milliseconds from now (number) or an absolute time (Date): the job rejects if not done by then. */
  deadline?: number | Date;
  /** Cancels the job: removed if queued, its run's signal aborted if running; rejects with JobAbortedError. */
  signal?: AbortSignal;
  /** Whose queue policy applies (default 'default'). */
  submitter?: string;
  /** Pins the job to a lane (streams that keep state on one device). */
  lane?: string;
  /** Device memory the job needs; it only goes to a lane with that much free. */
  memoryBytes?: number;
}

/** Per-submitter queue policy, as Triton's dynamic batcher queue policy. */
export interface QueuePolicy {
  /** Most jobs of this submitter queued (not running) at once; default unbounded. */
  maxQueue?: number;
  /** When full: 'reject' the new job (QueueFullError) or 'drop-oldest' queued one (JobDroppedError). */
  onFull?: 'reject' | 'drop-oldest';
  /** Longest a job may wait in the queue, in ms; default unbounded. */
  queueTimeoutMs?: number;
  /** After queueTimeoutMs: 'reject' (QueueTimeoutError, default) or 'wait' (keep waiting, counted). */
  onTimeout?: 'reject' | 'wait';
}

export interface SchedulerOptions {
  /**
   * Aging: a queued job that has waited `agingMs` in its class moves to the back of the next class up,
   * at most one job per class per `agingMs`, so lower classes always progress (default 1000; Infinity: off).
   */
  agingMs?: number;
  /** Extra attempts of a job that fails on a healthy lane, each on another lane when one exists (default 2). */
  retries?: number;
  /** Run timeout of one job in ms; counts as a lane failure (default 30000). */
  runTimeoutMs?: number;
  /** Health check of every healthy lane every this many ms (default 30000; Infinity: only after failures). */
  checkIntervalMs?: number;
  /** A check that does not answer within this fails (default 5000). */
  checkTimeoutMs?: number;
  /** Consecutive failures (jobs or checks) that evict a lane (default 3). */
  evictAfter?: number;
  /** Consecutive good checks that re-admit an evicted lane (default 2). */
  readmitAfter?: number;
  /** First re-probe delay of an evicted lane, doubled after each failed probe (default 250). */
  probeBackoffMs?: number;
  /** Longest re-probe delay (default 30000). */
  probeBackoffMaxMs?: number;
  /** Checks kept per lane in stats (default 20). */
  historySize?: number;
  /** How long close() waits for running jobs before abandoning them (default 5000). */
  closeTimeoutMs?: number;
  /** Queue policy of every submitter without its own. */
  policy?: QueuePolicy;
  /** Queue policies by submitter. */
  submitters?: Readonly<Record<string, QueuePolicy>>;
}

export type LaneHealth = 'healthy' | 'evicted' | 'removed';

export interface CheckRecord {
  /** Date.now() when the check finished. */
  readonly at: number;
  readonly ok: boolean;
  readonly ms: number;
  /** 'periodic', 'after-failure', 'recheck' (a job succeeded after a failed check) or 'probe' (evicted lane). */
  readonly reason: 'periodic' | 'after-failure' | 'recheck' | 'probe';
  readonly error?: string;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface CounterStats {
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  readonly dropped: number;
  /** Queue wait (submit to first start) and run time (successful runs), ms. */
  readonly wait: Percentiles;
  readonly run: Percentiles;
}

export interface LaneStats extends CounterStats {
  readonly id: string;
  readonly device: string;
  readonly health: LaneHealth;
  /** Set by a fatal error (device lost); cleared on re-admission. */
  readonly fatal: boolean;
  /** Consecutive failures (jobs and checks) so far. */
  readonly failureStreak: number;
  readonly evictions: number;
  /** Measured run time (EWMA, ms) used to balance load; undefined before the first job. */
  readonly ewmaRunMs: number | undefined;
  readonly lastError?: string;
  /** The last `historySize` checks, oldest first. */
  readonly checks: readonly CheckRecord[];
}

export interface SubmitterStats {
  readonly queued: number;
  readonly dropped: number;
  readonly rejected: number;
  readonly timedOut: number;
}

export interface SchedulerStats {
  readonly lanes: readonly LaneStats[];
  readonly classes: Readonly<Record<Priority, CounterStats>>;
  readonly submitters: Readonly<Record<string, SubmitterStats>>;
}

export interface SchedulerEvents {
  'lane-evicted': { lane: string; reason: string; fatal: boolean; failures: number };
  'lane-readmitted': { lane: string };
  'lane-check': { lane: string; ok: boolean; ms: number; reason: CheckRecord['reason']; error?: string };
  'job-dropped': { submitter: string; priority: Priority };
  'job-retried': { lane: string; attempt: number; error: string };
  'job-requeued': { lane: string; reason: string };
}
