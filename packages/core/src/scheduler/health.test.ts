import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler, type SchedulerEvents, grayscale, openDevice } from '../index.js';
import { type FaultyLab, PIXELS, faultyLab, grayJob, sleep, until } from './test-kit.js';

let lab: FaultyLab;
let expected: Uint8Array;
beforeAll(async () => {
  lab = await faultyLab(4, 3);
  const cpu = await openDevice('cpu', { discover: false });
  expected = (await grayscale(cpu.tensor(PIXELS, [4, 4, 3])).data()) as Uint8Array;
  await cpu.close();
});
afterAll(() => lab.close());

function record(s: Scheduler) {
  const events: { [K in keyof SchedulerEvents]: SchedulerEvents[K][] } = {
    'lane-evicted': [],
    'lane-readmitted': [],
    'lane-check': [],
    'job-dropped': [],
    'job-retried': [],
    'job-requeued': [],
  };
  for (const name of Object.keys(events) as (keyof SchedulerEvents)[]) {
    s.on(name, (e) => (events[name] as unknown[]).push(e));
  }
  return events;
}

/** Submits `n` jobs, each tagged; returns the results, and the lanes each job tried. */
async function runTagged(s: Scheduler, n: number) {
  const tried = new Map<number, string[]>();
  const results = await Promise.all(
    Array.from({ length: n }, (_, id) =>
      s.submit(async (lane, signal) => {
        tried.set(id, [...(tried.get(id) ?? []), lane.id]);
        return { id, ...(await grayJob(lane, signal)) };
      }),
    ),
  );
  return { results, tried };
}

describe('scheduler health', () => {
  it('evicts a failing lane after exactly three consecutive failures, moves its jobs, re-admits it', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY, probeBackoffMs: 20 });
    const events = record(s);
    for (let i = 0; i < 3; i++) s.addLane({ id: `f${i}`, device: lab.devices[i]! });

    // two failures (a job, then its after-failure check) and a success: not evicted
    lab.faulty.device(2).failNext(2);
    await runTagged(s, 30);
    await until(() => s.stats().lanes[2]!.failureStreak === 0, 2000, 'the failed check to be cleared');
    expect(events['lane-evicted']).toHaveLength(0);

    lab.faulty.device(2).failNext(Number.POSITIVE_INFINITY);
    const retriedBefore = events['job-retried'].length;
    const { results, tried } = await runTagged(s, 90);
    expect(events['lane-evicted']).toEqual([expect.objectContaining({ lane: 'f2', failures: 3, fatal: false })]);
    const f2 = s.stats().lanes[2]!;
    expect(f2.health).toBe('evicted');
    // nothing lost, each job settled once with a result from a live run on a healthy lane
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 90 }, (_, i) => i));
    for (const r of results) {
      expect(r.bytes).toEqual(expected);
      expect(r.aborted).toBe(false);
      expect(r.lane).not.toBe('f2');
    }
    const movedOff = [...tried.values()].filter((lanes) => lanes.includes('f2'));
    expect(movedOff.length).toBeGreaterThanOrEqual(2);
    expect(events['job-retried'].length - retriedBefore).toBe(movedOff.length);

    lab.faulty.device(2).recover();
    await until(() => events['lane-readmitted'].length === 1, 5000, 're-admission');
    const checks = s.stats().lanes[2]!.checks;
    expect(checks.slice(-2).map((c) => [c.reason, c.ok])).toEqual([
      ['probe', true],
      ['probe', true],
    ]);
    const again = await runTagged(s, 60);
    expect(again.results.some((r) => r.lane === 'f2')).toBe(true);
  });

  it('catches a lane returning wrong bytes with the known-answer check and evicts it', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({ checkIntervalMs: 15, probeBackoffMs: 20 });
    const events = record(s);
    for (let i = 0; i < 3; i++) s.addLane({ id: `f${i}`, device: lab.devices[i]! });
    lab.faulty.device(1).wrongBytes();
    const stop = performance.now() + 3000;
    while (!events['lane-evicted'].length && performance.now() < stop)
      await Promise.all([1, 2, 3].map(() => s.submit(grayJob)));
    expect(events['lane-evicted']).toEqual([expect.objectContaining({ lane: 'f1', failures: 3 })]);
    expect(events['lane-evicted'][0]!.reason).toMatch(/wrong bytes/);
    const after = await Promise.all(Array.from({ length: 20 }, () => s.submit(grayJob)));
    for (const r of after) expect(r.bytes).toEqual(expected);
    // it stays out while it lies
    await sleep(100);
    expect(s.stats().lanes[1]!.health).toBe('evicted');
    expect(events['lane-readmitted']).toHaveLength(0);
  });

  it('evicts a hung lane on failed checks and re-queues its in-flight jobs within 1 s', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({
      checkIntervalMs: 20,
      checkTimeoutMs: 60,
      runTimeoutMs: 10_000,
      probeBackoffMs: 50,
    });
    const events = record(s);
    let evictedAt = 0;
    s.on('lane-evicted', () => (evictedAt = performance.now()));
    s.addLane({ id: 'f0', device: lab.devices[0]! });
    s.addLane({ id: 'f1', device: lab.devices[1]! });
    s.addLane({ id: 'hung', device: lab.devices[2]!, concurrency: 2 });
    lab.faulty.device(2).hang();
    const finished: number[] = [];
    const jobs = Array.from({ length: 30 }, () =>
      s.submit(grayJob).then((r) => {
        finished.push(performance.now());
        return r;
      }),
    );
    const results = await Promise.all(jobs);
    expect(events['lane-evicted']).toEqual([expect.objectContaining({ lane: 'hung' })]);
    expect(events['lane-evicted'][0]!.reason).toMatch(/did not answer the health check within 60 ms/);
    expect(events['job-requeued']).toHaveLength(2);
    for (const r of results) expect([r.lane, r.aborted]).toEqual([expect.not.stringMatching('hung'), false]);
    // the two jobs stuck on the hung lane (run timeout 10 s) finished elsewhere soon after the eviction
    expect(Math.max(...finished) - evictedAt).toBeLessThan(1000);
    expect(s.stats().lanes[2]!.running).toBe(0);
  });

  it('counts a run timeout as a failure: a hung lane is evicted, its jobs finish elsewhere within 1 s', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY, checkTimeoutMs: 80, runTimeoutMs: 100 });
    const events = record(s);
    s.addLane({ id: 'f0', device: lab.devices[0]! });
    s.addLane({ id: 'hung', device: lab.devices[1]! });
    lab.faulty.device(1).hang();
    // job timeout (1), its after-failure check times out (2), the next job on it times out (3)
    const stop = performance.now() + 3000;
    while (!events['lane-evicted'].length && performance.now() < stop) {
      const t0 = performance.now();
      const results = await Promise.all([1, 2].map(() => s.submit(grayJob)));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(results.every((r) => r.lane === 'f0' && !r.aborted)).toBe(true);
    }
    expect(events['lane-evicted']).toEqual([expect.objectContaining({ lane: 'hung', failures: 3 })]);
    expect(events['job-retried'].length).toBeGreaterThanOrEqual(2);
    expect(s.stats().lanes[1]!.lastError).toMatch(/run timeout|did not answer/);
  });

  it('evicts at once on a fatal error (device lost) and keeps the lane out until it recovers', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({
      checkIntervalMs: Number.POSITIVE_INFINITY,
      probeBackoffMs: 10,
      probeBackoffMaxMs: 40,
    });
    const events = record(s);
    s.addLane({ id: 'f0', device: lab.devices[0]! });
    s.addLane({ id: 'lost', device: lab.devices[3]! });
    lab.faulty.device(3).lose();
    const results = await Promise.all(Array.from({ length: 10 }, () => s.submit(grayJob)));
    expect(results.every((r) => r.lane === 'f0')).toBe(true);
    expect(events['lane-evicted']).toEqual([expect.objectContaining({ lane: 'lost', fatal: true, failures: 1 })]);
    await sleep(150);
    const lost = s.stats().lanes[1]!;
    expect(lost.fatal).toBe(true);
    expect(lost.checks.filter((c) => c.reason === 'probe').length).toBeGreaterThanOrEqual(2);
    expect(lost.checks.every((c) => !c.ok)).toBe(true);
    lab.faulty.device(3).recover();
    await until(() => events['lane-readmitted'].length === 1, 2000, 're-admission');
    expect(s.stats().lanes[1]!.fatal).toBe(false);
  });

  it('settles every job exactly once under random faults', async () => {
    lab.faulty.reset();
    await using s = new Scheduler({
      checkIntervalMs: 20,
      checkTimeoutMs: 40,
      runTimeoutMs: 60,
      probeBackoffMs: 10,
      probeBackoffMaxMs: 40,
      retries: 10,
    });
    for (let i = 0; i < 4; i++) s.addLane({ id: `f${i}`, device: lab.devices[i]! });
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let chaos = true;
    const monkey = (async () => {
      while (chaos) {
        const d = lab.faulty.device(Math.floor(rand() * 3) + 1);
        const r = rand();
        if (r < 0.25) d.failNext(2);
        else if (r < 0.4) d.hang(1);
        else if (r < 0.5) d.lose();
        else d.recover();
        await sleep(10);
      }
    })();
    let settled = 0;
    const jobs = Array.from({ length: 150 }, (_, i) =>
      s.submit(grayJob, { priority: (['realtime', 'normal', 'batch'] as const)[i % 3] }).finally(() => settled++),
    );
    const outcomes = await Promise.allSettled(jobs);
    chaos = false;
    await monkey;
    lab.faulty.reset();
    expect(settled).toBe(150);
    for (const o of outcomes) {
      expect(o.status).toBe('fulfilled');
      if (o.status === 'fulfilled') {
        expect(o.value.bytes).toEqual(expected);
        expect(o.value.aborted).toBe(false);
      }
    }
    const st = s.stats();
    expect(st.lanes.reduce((n, l) => n + l.done, 0)).toBe(150);
    expect(st.classes.realtime.done + st.classes.normal.done + st.classes.batch.done).toBe(150);
  });
});
