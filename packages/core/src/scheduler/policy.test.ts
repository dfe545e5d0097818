import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  DisposedError,
  JobAbortedError,
  JobDroppedError,
  QueueFullError,
  QueueTimeoutError,
  Scheduler,
} from '../index.js';
import { type FaultyLab, deferred, faultyLab, settledNow, sleep } from './test-kit.js';

let lab: FaultyLab;
beforeAll(async () => {
  lab = await faultyLab(1);
});
afterAll(() => lab.close());

/** A scheduler with one lane held busy until `release()`. */
function blocked(options: ConstructorParameters<typeof Scheduler>[0] = {}) {
  const s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY, ...options });
  s.addLane({ id: 'a', device: lab.devices[0]! });
  const gate = deferred();
  const blocker = s.submit(() => gate.promise, { submitter: 'blocker' });
  return { s, blocker, release: () => gate.resolve() };
}

describe('scheduler queue policies', () => {
  it('rejects at once with QueueFullError when a submitter’s queue is full (policy reject)', async () => {
    const { s, release, blocker } = blocked({ submitters: { cam1: { maxQueue: 2, onFull: 'reject' } } });
    await using _ = s;
    const ok = [s.submit(() => 1, { submitter: 'cam1' }), s.submit(() => 2, { submitter: 'cam1' })];
    const full = s.submit(() => 3, { submitter: 'cam1' });
    expect(await settledNow(full)).toBe(true);
    await expect(full).rejects.toThrow(QueueFullError);
    await expect(full).rejects.toThrow(
      "queue of submitter 'cam1' is full (2 jobs, policy reject): raise maxQueue or use drop-oldest",
    );
    // other submitters are not limited by cam1's policy
    const other = s.submit(() => 4, { submitter: 'cam2' });
    release();
    expect(await Promise.all([blocker, ...ok, other])).toEqual([undefined, 1, 2, 4]);
    expect(s.stats().submitters.cam1).toEqual({ queued: 0, dropped: 0, rejected: 1, timedOut: 0 });
  });

  it('drops the oldest queued job (policy drop-oldest) and counts it', async () => {
    const { s, release } = blocked();
    await using _ = s;
    s.setPolicy('cam1', { maxQueue: 2, onFull: 'drop-oldest' });
    const dropped: unknown[] = [];
    s.on('job-dropped', (e) => dropped.push(e));
    const ran: number[] = [];
    const jobs = [1, 2, 3, 4].map((i) => s.submit(() => void ran.push(i), { submitter: 'cam1', priority: 'batch' }));
    const outcomes = Promise.allSettled(jobs);
    release();
    const [a, b, c, d] = await outcomes;
    expect(a).toMatchObject({ status: 'rejected', reason: expect.any(JobDroppedError) });
    expect(b).toMatchObject({ status: 'rejected', reason: expect.any(JobDroppedError) });
    expect([c!.status, d!.status]).toEqual(['fulfilled', 'fulfilled']);
    expect(ran).toEqual([3, 4]);
    expect(dropped).toEqual([
      { submitter: 'cam1', priority: 'batch' },
      { submitter: 'cam1', priority: 'batch' },
    ]);
    expect(s.stats().submitters.cam1!.dropped).toBe(2);
    expect(s.stats().classes.batch.dropped).toBe(2);
    expect(s.stats().classes.batch.failed).toBe(0);
  });

  it('rejects a job that waits past its queue timeout, or lets it wait (onTimeout wait)', async () => {
    const { s, release } = blocked({
      submitters: { strict: { queueTimeoutMs: 30 }, patient: { queueTimeoutMs: 30, onTimeout: 'wait' } },
    });
    await using _ = s;
    let ranStrict = false;
    const strict = s.submit(() => void (ranStrict = true), { submitter: 'strict' });
    const patient = s.submit(() => 'waited', { submitter: 'patient' });
    await expect(strict).rejects.toThrow(QueueTimeoutError);
    await sleep(10);
    release();
    expect(await patient).toBe('waited');
    expect(ranStrict).toBe(false);
    expect(s.stats().submitters.patient!.timedOut).toBe(1);
    expect(s.stats().submitters.strict!.timedOut).toBe(1);
  });

  it('cancels a queued job through its AbortSignal, and aborts a running job’s signal', async () => {
    const { s, release } = blocked();
    await using _ = s;
    const controller = new AbortController();
    let ran = false;
    const queued = s.submit(() => void (ran = true), { signal: controller.signal });
    controller.abort(new Error('user went away'));
    await expect(queued).rejects.toThrow(JobAbortedError);
    await expect(queued).rejects.toMatchObject({ cause: new Error('user went away') });
    release();
    const c2 = new AbortController();
    let seen: AbortSignal | undefined;
    const running = s.submit(
      (_lane, signal) => {
        seen = signal;
        return new Promise(() => {});
      },
      { signal: c2.signal },
    );
    while (!seen) await sleep(1);
    c2.abort();
    await expect(running).rejects.toThrow(JobAbortedError);
    expect(seen.aborted).toBe(true);
    expect(ran).toBe(false);
    // the lane is free again
    expect(await s.submit(() => 'next')).toBe('next');
    expect(await Promise.allSettled([s.submit(() => 1, { signal: AbortSignal.abort() })])).toMatchObject([
      { status: 'rejected', reason: expect.any(JobAbortedError) },
    ]);
  });

  it('rejects a job not done by its deadline (relative or absolute)', async () => {
    const { s, release } = blocked();
    await using _ = s;
    const rel = s.submit(() => 1, { deadline: 25 });
    const abs = s.submit(() => 2, { deadline: new Date(Date.now() + 25) });
    const later = s.submit(() => 3, { deadline: 5000 });
    await expect(rel).rejects.toThrow(DeadlineExceededError);
    await expect(abs).rejects.toThrow(/not done within its deadline .* still queued/);
    release();
    expect(await later).toBe(3);
    await expect(s.submit(() => 4, { deadline: new Date(Date.now() - 1) })).rejects.toThrow(DeadlineExceededError);
  });

  it('rejects a job pinned to a lane that does not exist', async () => {
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY });
    await expect(s.submit(() => 1, { lane: 'nope' })).rejects.toMatchObject({ code: 'ERR_OCELLUS_LANE_UNAVAILABLE' });
  });
});

describe('scheduler close()', () => {
  it('rejects queued jobs with DisposedError, lets running ones finish, and leaves no timer behind', async () => {
    // Watch every timer the scheduler's own code starts.
    const live = new Set<ReturnType<typeof setTimeout>>();
    const all: ReturnType<typeof setTimeout>[] = [];
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      const mine = new Error().stack?.includes('scheduler/timers');
      const h = realSet(() => {
        live.delete(h);
        fn();
      }, ms);
      if (mine) {
        live.add(h);
        all.push(h);
      }
      return h;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((h: ReturnType<typeof setTimeout>) => {
      live.delete(h);
      realClear(h);
    }) as typeof clearTimeout;
    try {
      const s = new Scheduler({ checkIntervalMs: 20, closeTimeoutMs: 200, policy: { queueTimeoutMs: 10_000 } });
      s.addLane({ id: 'a', device: lab.devices[0]!, concurrency: 2 });
      const gate = deferred<string>();
      const running = s.submit(() => gate.promise);
      const hung = s.submit(() => new Promise(() => {}));
      const queued = [1, 2, 3].map((i) => s.submit(() => i, { deadline: 10_000 }));
      await sleep(50); // a periodic check or two ran
      expect(live.size).toBeGreaterThan(0);
      const closing = s.close();
      await expect(Promise.allSettled(queued)).resolves.toEqual(
        queued.map(() => ({ status: 'rejected', reason: expect.any(DisposedError) })),
      );
      gate.resolve('finished');
      expect(await running).toBe('finished');
      await closing;
      await expect(hung).rejects.toThrow(DisposedError);
      expect(live.size).toBe(0);
      expect(all.length).toBeGreaterThan(0);
      for (const h of all) expect((h as unknown as { hasRef(): boolean }).hasRef()).toBe(false);
      await expect(s.submit(() => 1)).rejects.toThrow(DisposedError);
      expect(() => s.addLane({ id: 'b', device: lab.devices[0]! })).toThrow(DisposedError);
      await s.close(); // idempotent
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
  });
});
