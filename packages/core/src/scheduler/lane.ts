import type { Device } from '../backend/device.js';
import { type HealthCheck, knownAnswerCheck } from './health.js';
import type { JobRecord } from './queue.js';
import { Samples } from './samples.js';
import type { Timer } from './timers.js';
import type { CheckRecord, Lane, LaneHealth, LaneOptions } from './types.js';

/** One run of a job on a lane. `abandoned`: its result, whenever it comes, is ignored. */
export interface RunRecord {
  readonly job: JobRecord;
  readonly lane: LaneRecord;
  readonly controller: AbortController;
  readonly start: number;
  abandoned: boolean;
  timer?: Timer;
  done?: Promise<void>;
}

const EWMA_ALPHA = 0.3;

/** A lane's scheduler-side state: health, runs, counters and measured speed. */
export class LaneRecord {
  readonly id: string;
  readonly device: Device;
  readonly view: Lane<unknown>;
  readonly weight: number;
  readonly concurrency: number;
  readonly check: HealthCheck;
  readonly runTimeoutMs: number | undefined;
  readonly freeMemoryHint: number | (() => number) | undefined;
  readonly running = new Set<RunRecord>();
  readonly waitSamples = new Samples();
  readonly runSamples = new Samples();
  readonly history: CheckRecord[] = [];
  health: LaneHealth = 'healthy';
  fatal = false;
  /**
   * Consecutive failures (jobs and checks) while healthy. A passing check resets it; a job success
   * resets it only while no check has failed since the last passing one (`checkFailed`): a job cannot
   * tell wrong bytes from right ones, a known-answer check can.
   */
  streak = 0;
  checkFailed = false;
  /** Consecutive good checks while evicted. */
  goodStreak = 0;
  probeFailures = 0;
  evictions = 0;
  checking: CheckRecord['reason'] | undefined;
  reservedBytes = 0;
  dispatched = 0;
  done = 0;
  failed = 0;
  ewmaMs: number | undefined;
  lastError: string | undefined;
  /** The periodic-check or re-probe timer. */
  timer: Timer | undefined;

  constructor(options: LaneOptions<unknown>) {
    this.id = options.id;
    this.device = options.device;
    this.weight = options.weight ?? 1;
    this.concurrency = options.concurrency ?? 1;
    this.check = options.healthCheck ?? knownAnswerCheck;
    this.runTimeoutMs = options.runTimeoutMs;
    this.freeMemoryHint = options.freeMemory;
    this.view = Object.freeze({
      id: this.id,
      device: this.device,
      state: options.state,
      weight: this.weight,
      concurrency: this.concurrency,
    });
  }

  /** Takes new jobs: healthy, not in a post-failure check, a free slot. */
  get open(): boolean {
    return this.health === 'healthy' && this.checking !== 'after-failure' && this.running.size < this.concurrency;
  }

  /** Memory a job may still claim on this lane (Infinity when the device does not say). */
  freeBytes(): number {
    const hint = this.freeMemoryHint;
    let free: number;
    if (hint !== undefined) free = typeof hint === 'function' ? hint() : hint;
    else if (this.device.info.memoryBytes === undefined) return Number.POSITIVE_INFINITY;
    else {
      try {
        free = this.device.info.memoryBytes - this.device.memory().allocatedBytes;
      } catch {
        free = 0;
      }
    }
    return free - this.reservedBytes;
  }

  /** Total memory of the lane, for refusing jobs no lane can ever hold. */
  capacityBytes(): number {
    const hint = this.freeMemoryHint;
    if (hint !== undefined) return typeof hint === 'function' ? hint() : hint;
    return this.device.info.memoryBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Expected time to finish one more job here: outstanding work times measured run time, over weight. */
  score(fallbackMs: number): number {
    return ((this.running.size + 1) * (this.ewmaMs ?? fallbackMs)) / this.weight;
  }

  recordRun(ms: number): void {
    this.runSamples.add(ms);
    this.ewmaMs = this.ewmaMs === undefined ? ms : this.ewmaMs + EWMA_ALPHA * (ms - this.ewmaMs);
  }

  recordCheck(record: CheckRecord, historySize: number): void {
    this.history.push(record);
    if (this.history.length > historySize) this.history.splice(0, this.history.length - historySize);
  }

  clearTimer(): void {
    this.timer?.clear();
    this.timer = undefined;
  }
}
