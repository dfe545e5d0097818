import { DisposedError, OcellusError } from '../errors.js';
import {
  DeadlineExceededError,
  InsufficientMemoryError,
  JobAbortedError,
  JobDroppedError,
  JobTimeoutError,
  LaneEvictedError,
  LaneUnavailableError,
  QueueFullError,
  QueueTimeoutError,
  describeError,
  isFatal,
} from './errors.js';
import { Emitter } from './events.js';
import { runCheck } from './health.js';
import { LaneRecord, type RunRecord } from './lane.js';
import { type JobRecord, JobQueue } from './queue.js';
import { Samples } from './samples.js';
import { type ClassCounters, type SubmitterCounters, buildStats } from './stats.js';
import { type Timer, now, startTimer } from './timers.js';
import {
  type CheckRecord,
  type Job,
  type Lane,
  type LaneOptions,
  PRIORITIES,
  type QueuePolicy,
  type SchedulerEvents,
  type SchedulerOptions,
  type SchedulerStats,
  type SubmitOptions,
} from './types.js';

type Settings = Required<Omit<SchedulerOptions, 'policy' | 'submitters'>>;

const DEFAULTS: Settings = {
  agingMs: 1000,
  retries: 2,
  runTimeoutMs: 30_000,
  checkIntervalMs: 30_000,
  checkTimeoutMs: 5000,
  evictAfter: 3,
  readmitAfter: 2,
  probeBackoffMs: 250,
  probeBackoffMaxMs: 30_000,
  historySize: 20,
  closeTimeoutMs: 5000,
};

/**
 * Runs jobs over lanes (one device each, plus what the user binds to it): three priority classes with
 * aging, per-submitter queue policies, load balancing by measured speed and free memory, health checks
 * with eviction and re-admission, retries on another lane. Every submitted job resolves or rejects
 * exactly once. No node: imports: it runs in Node and in browsers.
 */
export class Scheduler<S = unknown> implements AsyncDisposable {
  readonly #settings: Settings;
  readonly #defaultPolicy: QueuePolicy;
  readonly #policies = new Map<string, QueuePolicy>();
  readonly #lanes = new Map<string, LaneRecord>();
  readonly #queue = new JobQueue();
  readonly #events = new Emitter<SchedulerEvents>();
  readonly #timers = new Set<Timer>();
  readonly #classes: ClassCounters[] = PRIORITIES.map(() => ({
    done: 0,
    failed: 0,
    dropped: 0,
    wait: new Samples(),
    run: new Samples(),
  }));
  readonly #submitters = new Map<string, SubmitterCounters>();
  readonly #queuedBySubmitter = new Map<string, number>();
  #seq = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: SchedulerOptions = {}) {
    const given = Object.fromEntries(
      Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'policy' && k !== 'submitters'),
    );
    this.#settings = { ...DEFAULTS, ...given } as Settings;
    for (const [k, v] of Object.entries(this.#settings)) {
      if (typeof v !== 'number' || Number.isNaN(v) || v < 0) {
        throw new OcellusError('ERR_OCELLUS_SCHEDULER_OPTION', `scheduler option ${k} must be a number >= 0, not ${v}`);
      }
    }
    this.#defaultPolicy = options.policy ?? {};
    for (const [name, p] of Object.entries(options.submitters ?? {})) this.#policies.set(name, p);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds a lane; it takes jobs at once and is checked every checkIntervalMs. */
  addLane(options: LaneOptions<S>): Lane<S> {
    this.#assertOpen();
    if (this.#lanes.has(options.id)) {
      throw new OcellusError(
        'ERR_OCELLUS_LANE_EXISTS',
        `a lane '${options.id}' exists already: give each lane its own id`,
      );
    }
    const lane = new LaneRecord(options as LaneOptions<unknown>);
    if (!(lane.concurrency >= 1) || !(lane.weight > 0)) {
      throw new OcellusError(
        'ERR_OCELLUS_SCHEDULER_OPTION',
        `lane '${lane.id}': concurrency must be >= 1 and weight > 0`,
      );
    }
    this.#lanes.set(lane.id, lane);
    this.#schedulePeriodic(lane);
    this.#dispatch();
    return lane.view as Lane<S>;
  }

  /** Takes a lane out for good: its running jobs are re-queued elsewhere, jobs pinned to it reject. */
  removeLane(id: string): boolean {
    const lane = this.#lanes.get(id);
    if (!lane) return false;
    lane.health = 'removed';
    lane.clearTimer();
    this.#lanes.delete(id);
    this.#moveOff(lane, `lane '${id}' was removed`);
    this.#dispatch();
    return true;
  }

  lanes(): Lane<S>[] {
    return [...this.#lanes.values()].map((l) => l.view as Lane<S>);
  }

  /** Sets (or replaces) the queue policy of one submitter. */
  setPolicy(submitter: string, policy: QueuePolicy): void {
    this.#policies.set(submitter, policy);
  }

  on<K extends keyof SchedulerEvents>(event: K, listener: (payload: SchedulerEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  off<K extends keyof SchedulerEvents>(event: K, listener: (payload: SchedulerEvents[K]) => void): void {
    this.#events.off(event, listener);
  }

  /** Queues a job; it resolves with the job's result or rejects (named errors) exactly once. */
  submit<T>(fn: Job<T, S>, options: SubmitOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const priority = options.priority ?? 'normal';
      const cls = PRIORITIES.indexOf(priority);
      const submitter = options.submitter ?? 'default';
      const counters = this.#submitterCounters(submitter);
      if (this.#closed) return reject(new DisposedError('the scheduler is closed; create a new Scheduler'));
      if (typeof fn !== 'function') {
        return reject(
          new OcellusError(
            'ERR_OCELLUS_SCHEDULER_OPTION',
            'submit(fn): fn must be a function (lane, signal) => result',
          ),
        );
      }
      if (cls < 0) {
        return reject(
          new OcellusError(
            'ERR_OCELLUS_SCHEDULER_OPTION',
            `unknown priority '${priority}': use realtime, normal or batch`,
          ),
        );
      }
      if (options.signal?.aborted) {
        return reject(
          new JobAbortedError('the job was cancelled before it was queued', { cause: options.signal.reason }),
        );
      }
      if (options.lane !== undefined) {
        const pinned = this.#lanes.get(options.lane);
        if (pinned?.health !== 'healthy') {
          return reject(this.#pinError(options.lane, pinned ? `is ${pinned.health}` : 'does not exist'));
        }
      }
      const memoryBytes = options.memoryBytes ?? 0;
      if (memoryBytes > 0 && this.#lanes.size > 0) {
        const lanes = options.lane === undefined ? [...this.#lanes.values()] : [this.#lanes.get(options.lane)!];
        const most = Math.max(...lanes.map((l) => l.capacityBytes()));
        if (memoryBytes > most) {
          return reject(
            new InsufficientMemoryError(
              `the job needs ${memoryBytes} bytes but the largest lane has ${most}: ` +
                'add a lane with more memory or split the job',
            ),
          );
        }
      }
      let deadlineMs: number | undefined;
      if (options.deadline !== undefined) {
        deadlineMs = options.deadline instanceof Date ? options.deadline.getTime() - Date.now() : options.deadline;
        if (!(deadlineMs > 0))
          return reject(new DeadlineExceededError('the job’s deadline had passed when it was submitted'));
      }
      const policy = this.#policies.get(submitter) ?? this.#defaultPolicy;
      const maxQueue = policy.maxQueue ?? Number.POSITIVE_INFINITY;
      const onFull = policy.onFull ?? 'reject';
      if ((this.#queuedBySubmitter.get(submitter) ?? 0) >= maxQueue) {
        const oldest = onFull === 'drop-oldest' ? this.#queue.oldestOf(submitter) : undefined;
        if (!oldest) {
          counters.rejected++;
          return reject(
            new QueueFullError(
              `queue of submitter '${submitter}' is full (${maxQueue} jobs, policy ${onFull}): ` +
                'raise maxQueue or use drop-oldest',
            ),
          );
        }
        counters.dropped++;
        this.#classes[PRIORITIES.indexOf(oldest.priority)]!.dropped++;
        this.#events.emit('job-dropped', { submitter, priority: oldest.priority });
        oldest.settle(
          false,
          new JobDroppedError(
            `job of submitter '${submitter}' was dropped for a newer one ` +
              `(queue full at ${maxQueue}, policy drop-oldest): ` +
              'raise maxQueue or submit less often',
          ),
        );
      }

      const t = now();
      const job: JobRecord = {
        seq: this.#seq++,
        fn: fn as Job<unknown, never>,
        priority,
        submitter,
        pin: options.lane,
        memoryBytes,
        submittedAt: t,
        cls,
        classSince: t,
        queued: false,
        started: false,
        settled: false,
        attempts: 0,
        tried: new Set(),
        timers: [],
        settle: (ok, value) => {
          if (job.settled) return;
          job.settled = true;
          if (job.queued) this.#unqueue(job);
          for (const timer of job.timers) timer.clear();
          options.signal?.removeEventListener('abort', onAbort);
          if (ok) resolve(value as T);
          else {
            if (!(value instanceof JobDroppedError)) this.#classes[PRIORITIES.indexOf(job.priority)]!.failed++;
            reject(value);
          }
        },
      };
      const onAbort = () => {
        this.#abandonRun(
          job,
          new JobAbortedError('the job was cancelled through its AbortSignal', { cause: options.signal?.reason }),
        );
        job.settle(
          false,
          new JobAbortedError('the job was cancelled through its AbortSignal', { cause: options.signal?.reason }),
        );
        this.#dispatch();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (deadlineMs !== undefined) {
        const ms = deadlineMs;
        job.timers.push(
          startTimer(
            () => {
              const err = new DeadlineExceededError(
                `the job was not done within its deadline (${Math.round(ms)} ms, ` +
                  `${job.started ? 'while running' : 'still queued'}): ` +
                  'give it a later deadline, a higher priority, or add lanes',
              );
              this.#abandonRun(job, err);
              job.settle(false, err);
              this.#dispatch();
            },
            ms,
            this.#timers,
          ),
        );
      }
      const queueTimeoutMs = policy.queueTimeoutMs;
      if (queueTimeoutMs !== undefined && Number.isFinite(queueTimeoutMs)) {
        job.timers.push(
          startTimer(
            () => {
              if (!job.queued || job.started) return;
              counters.timedOut++;
              if ((policy.onTimeout ?? 'reject') === 'wait') return;
              job.settle(
                false,
                new QueueTimeoutError(
                  `job of submitter '${submitter}' waited ${queueTimeoutMs} ms in the queue (its queue timeout): ` +
                    'raise queueTimeoutMs, use onTimeout wait, or add lanes',
                ),
              );
            },
            queueTimeoutMs,
            this.#timers,
          ),
        );
      }
      this.#enqueue(job);
      this.#dispatch();
    });
  }

  stats(): SchedulerStats {
    return buildStats({
      lanes: [...this.#lanes.values()],
      queued: this.#queue.ordered(),
      classes: this.#classes,
      submitters: this.#submitters,
      queuedBySubmitter: this.#queuedBySubmitter,
    });
  }

  /**
   * Stops every timer, rejects queued jobs with DisposedError, waits up to closeTimeoutMs for running
   * ones, then abandons what still runs (rejected with DisposedError). Lanes' devices stay open: they are
   * the caller's. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const lane of this.#lanes.values()) lane.clearTimer();
    const closedError = () =>
      new DisposedError('the scheduler was closed before the job ran; submit it to an open scheduler');
    for (const job of this.#queue.drain()) {
      this.#countUnqueued(job);
      job.settle(false, closedError());
    }
    const runs = [...this.#lanes.values()].flatMap((l) => [...l.running]);
    if (runs.length) {
      let timer: Timer | undefined;
      await Promise.race([
        Promise.all(runs.map((r) => r.done)),
        new Promise<void>((resolve) => (timer = startTimer(resolve, this.#settings.closeTimeoutMs, this.#timers))),
      ]);
      timer?.clear();
    }
    for (const lane of this.#lanes.values()) {
      for (const run of [...lane.running]) {
        this.#abandon(run, new DisposedError('the scheduler was closed'));
        run.job.settle(
          false,
          new DisposedError(
            `the scheduler was closed while the job still ran (after ${this.#settings.closeTimeoutMs} ms)`,
          ),
        );
      }
    }
    for (const timer of [...this.#timers]) timer.clear();
    this.#events.clear();
  }

  // ---- queue ------------------------------------------------------------------------------------

  #enqueue(job: JobRecord, again = false): void {
    if (again) this.#queue.requeue(job);
    else this.#queue.push(job);
    this.#queuedBySubmitter.set(job.submitter, (this.#queuedBySubmitter.get(job.submitter) ?? 0) + 1);
  }

  #unqueue(job: JobRecord): void {
    this.#queue.remove(job);
    this.#countUnqueued(job);
  }

  #countUnqueued(job: JobRecord): void {
    this.#queuedBySubmitter.set(job.submitter, (this.#queuedBySubmitter.get(job.submitter) ?? 1) - 1);
  }

  /** A job goes back in the queue (retry, or moved off an evicted/removed lane); pinned jobs reject instead. */
  #requeue(job: JobRecord, error: unknown): void {
    if (job.settled) return;
    if (this.#closed) {
      job.settle(false, new DisposedError('the scheduler was closed while the job was being retried'));
      return;
    }
    if (job.pin !== undefined) {
      const lane = this.#lanes.get(job.pin);
      if (lane?.health !== 'healthy') {
        job.settle(false, this.#pinError(job.pin, lane ? `is ${lane.health}` : 'was removed', error));
        return;
      }
    }
    this.#enqueue(job, true);
  }

  #pinError(laneId: string, what: string, cause?: unknown): LaneUnavailableError {
    const err = new LaneUnavailableError(
      `lane '${laneId}' ${what}: the job was pinned to it; pin the stream to another lane or submit without 'lane'`,
    );
    if (cause !== undefined) Object.defineProperty(err, 'cause', { value: cause });
    return err;
  }

  #submitterCounters(name: string): SubmitterCounters {
    let c = this.#submitters.get(name);
    if (!c) this.#submitters.set(name, (c = { dropped: 0, rejected: 0, timedOut: 0 }));
    return c;
  }

  // ---- dispatch ---------------------------------------------------------------------------------

  #dispatch(): void {
    if (this.#closed) return;
    this.#queue.promote(now(), this.#settings.agingMs);
    if (!this.#anyOpen()) return;
    for (const job of this.#queue.ordered()) {
      const lane = this.#pick(job);
      if (!lane) continue;
      this.#unqueue(job);
      this.#start(job, lane);
      if (!this.#anyOpen()) break;
    }
  }

  #anyOpen(): boolean {
    for (const l of this.#lanes.values()) if (l.open) return true;
    return false;
  }

  /** The open lane that would finish the job soonest; a retried job avoids lanes it failed on when it can. */
  #pick(job: JobRecord): LaneRecord | undefined {
    if (job.pin !== undefined) {
      const lane = this.#lanes.get(job.pin);
      return lane?.open && lane.freeBytes() >= job.memoryBytes ? lane : undefined;
    }
    let pool = [...this.#lanes.values()].filter((l) => l.health === 'healthy');
    if (job.tried.size) {
      const untried = pool.filter((l) => !job.tried.has(l.id));
      if (untried.length) pool = untried;
    }
    const measured = pool.filter((l) => l.ewmaMs !== undefined);
    const fallback = measured.length ? measured.reduce((s, l) => s + l.ewmaMs!, 0) / measured.length : 1;
    let best: LaneRecord | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const lane of pool) {
      if (!lane.open || (job.memoryBytes > 0 && lane.freeBytes() < job.memoryBytes)) continue;
      const score = lane.score(fallback);
      if (score < bestScore || (score === bestScore && best && lane.dispatched < best.dispatched)) {
        best = lane;
        bestScore = score;
      }
    }
    return best;
  }

  #start(job: JobRecord, lane: LaneRecord): void {
    const t = now();
    if (!job.started) {
      job.started = true;
      const wait = t - job.submittedAt;
      this.#classes[PRIORITIES.indexOf(job.priority)]!.wait.add(wait);
      lane.waitSamples.add(wait);
    }
    job.attempts++;
    job.tried.add(lane.id);
    lane.dispatched++;
    lane.reservedBytes += job.memoryBytes;
    const run: RunRecord = { job, lane, controller: new AbortController(), start: t, abandoned: false };
    lane.running.add(run);
    const timeoutMs = lane.runTimeoutMs ?? this.#settings.runTimeoutMs;
    run.timer = startTimer(
      () => {
        if (run.abandoned) return;
        const err = new JobTimeoutError(
          `a job on lane '${lane.id}' ran longer than ${timeoutMs} ms (the run timeout): the device may be hung; ` +
            'raise runTimeoutMs if such jobs are only slow',
        );
        this.#abandon(run, err);
        this.#failed(run, err);
      },
      timeoutMs,
      this.#timers,
    );
    run.done = Promise.resolve()
      .then(() => job.fn(lane.view as Lane<never>, run.controller.signal))
      .then(
        (value) => this.#ended(run, true, value),
        (err: unknown) => this.#ended(run, false, err),
      );
  }

  #ended(run: RunRecord, ok: boolean, value: unknown): void {
    if (run.abandoned) return; // a late result of a run given up on: the job went elsewhere or settled
    this.#release(run);
    const { job, lane } = run;
    if (ok) {
      const ms = now() - run.start;
      if (!lane.checkFailed) lane.streak = 0;
      else void this.#check(lane, 'recheck'); // only a passing check clears a failed one
      lane.done++;
      lane.recordRun(ms);
      const c = this.#classes[PRIORITIES.indexOf(job.priority)]!;
      c.done++;
      c.run.add(ms);
      job.settle(true, value);
      this.#dispatch();
    } else {
      this.#failed(run, value);
    }
  }

  #release(run: RunRecord): void {
    run.timer?.clear();
    run.lane.running.delete(run);
    run.lane.reservedBytes -= run.job.memoryBytes;
  }

  /** Gives a run up: its signal aborts, its slot frees now, and its result will be ignored. */
  #abandon(run: RunRecord, reason: unknown): void {
    if (run.abandoned) return;
    run.abandoned = true;
    this.#release(run);
    run.controller.abort(reason);
  }

  #abandonRun(job: JobRecord, reason: unknown): void {
    for (const lane of this.#lanes.values()) {
      for (const run of lane.running) if (run.job === job) this.#abandon(run, reason);
    }
  }

  /** A run failed (threw, or timed out) on a lane: count it against the lane, then retry or reject the job. */
  #failed(run: RunRecord, error: unknown): void {
    const { job, lane } = run;
    lane.failed++;
    lane.lastError = describeError(error);
    if (lane.health === 'healthy') {
      lane.streak++;
      if (isFatal(error) || lane.streak >= this.#settings.evictAfter)
        this.#evict(lane, describeError(error), isFatal(error));
      else void this.#check(lane, 'after-failure');
    }
    if (!job.settled) {
      if (this.#closed || job.attempts > this.#settings.retries) job.settle(false, error);
      else {
        this.#events.emit('job-retried', { lane: lane.id, attempt: job.attempts, error: describeError(error) });
        this.#requeue(job, error);
      }
    }
    this.#dispatch();
  }

  // ---- health -----------------------------------------------------------------------------------

  #evict(lane: LaneRecord, reason: string, fatal: boolean): void {
    if (lane.health !== 'healthy') return;
    const failures = lane.streak;
    lane.health = 'evicted';
    lane.fatal = fatal;
    lane.evictions++;
    lane.goodStreak = 0;
    lane.probeFailures = 0;
    lane.clearTimer();
    this.#moveOff(lane, `lane '${lane.id}' was evicted`);
    this.#events.emit('lane-evicted', { lane: lane.id, reason, fatal, failures });
    this.#scheduleProbe(lane);
  }

  /** Re-queues the runs of a lane that leaves (evicted or removed): not counted as attempts. */
  #moveOff(lane: LaneRecord, why: string): void {
    for (const run of [...lane.running]) {
      const err = new LaneEvictedError(`${why}; the job was moved to another lane`);
      this.#abandon(run, err);
      run.job.attempts--;
      this.#events.emit('job-requeued', { lane: lane.id, reason: why });
      this.#requeue(run.job, err);
    }
    for (const job of this.#queue.ordered()) {
      if (job.pin === lane.id) job.settle(false, this.#pinError(lane.id, why.replace(`lane '${lane.id}' `, '')));
    }
  }

  #schedulePeriodic(lane: LaneRecord): void {
    const ms = this.#settings.checkIntervalMs;
    if (this.#closed || !Number.isFinite(ms) || ms <= 0) return;
    lane.clearTimer();
    lane.timer = startTimer(
      () => {
        lane.timer = undefined;
        void this.#check(lane, 'periodic').then(() => {
          if (lane.health === 'healthy' && !lane.timer) this.#schedulePeriodic(lane);
        });
      },
      ms,
      this.#timers,
    );
  }

  #scheduleProbe(lane: LaneRecord, ms?: number): void {
    if (this.#closed || lane.health !== 'evicted') return;
    const { probeBackoffMs, probeBackoffMaxMs } = this.#settings;
    const delay = ms ?? Math.min(probeBackoffMaxMs, probeBackoffMs * 2 ** lane.probeFailures);
    lane.clearTimer();
    lane.timer = startTimer(
      () => {
        lane.timer = undefined;
        void this.#check(lane, 'probe');
      },
      delay,
      this.#timers,
    );
  }

  async #check(lane: LaneRecord, reason: CheckRecord['reason']): Promise<void> {
    if (lane.checking || this.#closed || lane.health === 'removed') return;
    lane.checking = reason;
    const outcome = await runCheck(lane.check, lane.device, this.#settings.checkTimeoutMs, this.#timers);
    lane.checking = undefined;
    // the lane may have been removed (or the scheduler closed) while the check ran
    if (this.#closed || this.#lanes.get(lane.id) !== lane) return;
    const error = outcome.ok ? undefined : describeError(outcome.error);
    lane.recordCheck(
      { at: Date.now(), ok: outcome.ok, ms: outcome.ms, reason, ...(error === undefined ? {} : { error }) },
      this.#settings.historySize,
    );
    this.#events.emit('lane-check', {
      lane: lane.id,
      ok: outcome.ok,
      ms: outcome.ms,
      reason,
      ...(error === undefined ? {} : { error }),
    });
    lane.checkFailed = !outcome.ok;
    if (lane.health === 'healthy') {
      if (outcome.ok) lane.streak = 0;
      else {
        lane.streak++;
        lane.lastError = error;
        const fatal = isFatal(outcome.error);
        if (fatal || lane.streak >= this.#settings.evictAfter) this.#evict(lane, error!, fatal);
      }
    } else if (outcome.ok) {
      lane.goodStreak++;
      if (lane.goodStreak >= this.#settings.readmitAfter) this.#readmit(lane);
      else this.#scheduleProbe(lane, this.#settings.probeBackoffMs);
    } else {
      lane.goodStreak = 0;
      lane.probeFailures++;
      lane.lastError = error;
      if (isFatal(outcome.error)) lane.fatal = true;
      this.#scheduleProbe(lane);
    }
    this.#dispatch();
  }

  #readmit(lane: LaneRecord): void {
    lane.health = 'healthy';
    lane.fatal = false;
    lane.streak = 0;
    lane.checkFailed = false;
    lane.goodStreak = 0;
    lane.probeFailures = 0;
    this.#events.emit('lane-readmitted', { lane: lane.id });
    this.#schedulePeriodic(lane);
  }

  #assertOpen(): void {
    if (this.#closed) throw new DisposedError('the scheduler is closed; create a new Scheduler');
  }
}
