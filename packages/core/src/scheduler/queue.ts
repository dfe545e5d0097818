import type { Timer } from './timers.js';
import type { Job, Priority } from './types.js';

/** One submitted job, from submit() until it resolves or rejects (exactly once: `settle`). */
export interface JobRecord {
  readonly seq: number;
  readonly fn: Job<unknown, never>;
  readonly priority: Priority;
  readonly submitter: string;
  readonly pin: string | undefined;
  readonly memoryBytes: number;
  readonly submittedAt: number;
  /** Current class (0 realtime .. 2 batch): the submitted one, lowered by aging. */
  cls: number;
  /** When the job entered its current class queue. */
  classSince: number;
  queued: boolean;
  started: boolean;
  settled: boolean;
  /** Runs started that count against `retries` (a run abandoned by an eviction does not). */
  attempts: number;
  readonly tried: Set<string>;
  readonly timers: Timer[];
  readonly settle: (ok: boolean, value: unknown) => void;
}

/**
 * The queues of the three classes, FIFO each. Aging: the head of a lower class that has waited `agingMs`
 * in it moves to the back of the next class up, at most one job per class per `agingMs`; so every class
 * keeps a guaranteed trickle however loaded the classes above it are, and a higher class is never
 * flooded by promoted jobs.
 */
export class JobQueue {
  readonly #queues: JobRecord[][] = [[], [], []];
  readonly #lastPromotion = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];

  get size(): number {
    return this.#queues[0]!.length + this.#queues[1]!.length + this.#queues[2]!.length;
  }

  push(job: JobRecord): void {
    this.#queues[job.cls]!.push(job);
    job.queued = true;
  }

  /** Puts a job back in submission order within its class (a retry or a job moved off an evicted lane). */
  requeue(job: JobRecord): void {
    const q = this.#queues[job.cls]!;
    const at = q.findIndex((j) => j.seq > job.seq);
    if (at < 0) q.push(job);
    else q.splice(at, 0, job);
    job.queued = true;
  }

  remove(job: JobRecord): void {
    if (!job.queued) return;
    const q = this.#queues[job.cls]!;
    const at = q.indexOf(job);
    if (at >= 0) q.splice(at, 1);
    job.queued = false;
  }

  promote(now: number, agingMs: number): void {
    if (!Number.isFinite(agingMs)) return;
    for (let c = 1; c < this.#queues.length; c++) {
      const head = this.#queues[c]![0];
      if (!head || now - head.classSince < agingMs || now - this.#lastPromotion[c]! < agingMs) continue;
      this.#queues[c]!.shift();
      head.cls = c - 1;
      head.classSince = now;
      this.#queues[c - 1]!.push(head);
      this.#lastPromotion[c] = now;
    }
  }

  /** Every queued job in dispatch order: class by class, FIFO within each (a snapshot). */
  ordered(): JobRecord[] {
    return [...this.#queues[0]!, ...this.#queues[1]!, ...this.#queues[2]!];
  }

  /** The job of `submitter` queued longest (by submission). */
  oldestOf(submitter: string): JobRecord | undefined {
    let oldest: JobRecord | undefined;
    for (const q of this.#queues)
      for (const j of q) if (j.submitter === submitter && (!oldest || j.seq < oldest.seq)) oldest = j;
    return oldest;
  }

  /** Removes and returns every queued job (close()). */
  drain(): JobRecord[] {
    const all = this.ordered();
    for (const j of all) j.queued = false;
    for (const q of this.#queues) q.length = 0;
    return all;
  }
}
