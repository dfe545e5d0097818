import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler, grayscale, openDevice } from '../index.js';
import { type FaultyLab, PIXELS, faultyLab, grayJob, until } from './test-kit.js';

let lab: FaultyLab;
beforeAll(async () => {
  lab = await faultyLab(3, 5);
});
afterAll(() => lab.close());

function doneBy(s: Scheduler): Record<string, number> {
  return Object.fromEntries(s.stats().lanes.map((l) => [l.id, l.done]));
}

describe('scheduler load balancing', () => {
  it('splits jobs evenly over two equal lanes', async () => {
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY });
    s.addLane({ id: 'a', device: lab.devices[0]! });
    s.addLane({ id: 'b', device: lab.devices[1]! });
    const results = await Promise.all(Array.from({ length: 100 }, () => s.submit(grayJob)));
    const done = doneBy(s);
    expect(done.a! + done.b!).toBe(100);
    expect(done.a).toBeGreaterThanOrEqual(40);
    expect(done.a).toBeLessThanOrEqual(60);
    expect(results.filter((r) => r.lane === 'a')).toHaveLength(done.a!);
  });

  it('gives a 2x slower lane fewer jobs', async () => {
    lab.faulty.device(1).slow(2);
    try {
      await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY });
      s.addLane({ id: 'fast', device: lab.devices[0]! });
      s.addLane({ id: 'slow', device: lab.devices[1]! });
      await Promise.all(Array.from({ length: 90 }, () => s.submit(grayJob)));
      const done = doneBy(s);
      expect(done.fast! / 90).toBeGreaterThanOrEqual(0.6);
      const [fast, slow] = s.stats().lanes;
      expect(slow!.ewmaRunMs!).toBeGreaterThan(fast!.ewmaRunMs!);
      // when both are free, the measured faster lane is chosen
      const one = await s.submit(grayJob);
      expect(one.lane).toBe('fast');
    } finally {
      lab.faulty.reset();
    }
  });

  it('pins a job to a lane and respects lane concurrency', async () => {
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY });
    s.addLane({ id: 'a', device: lab.devices[0]! });
    s.addLane({ id: 'b', device: lab.devices[1]!, concurrency: 3 });
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 12 }, () =>
      s.submit(
        async (lane, signal) => {
          most = Math.max(most, ++running);
          const r = await grayJob(lane, signal);
          running--;
          return r;
        },
        { lane: 'b' },
      ),
    );
    const results = await Promise.all(jobs);
    expect(results.every((r) => r.lane === 'b')).toBe(true);
    expect(most).toBe(3);
  });

  it('sends a job only to a lane with the memory it needs', async () => {
    await using s = new Scheduler({ checkIntervalMs: Number.POSITIVE_INFINITY });
    s.addLane({ id: 'small', device: lab.devices[0]!, freeMemory: 1000 });
    s.addLane({ id: 'big', device: lab.devices[1]!, freeMemory: 1_000_000 });
    const results = await Promise.all(Array.from({ length: 6 }, () => s.submit(grayJob, { memoryBytes: 10_000 })));
    expect(results.every((r) => r.lane === 'big')).toBe(true);
    await expect(s.submit(grayJob, { memoryBytes: 10_000_000 })).rejects.toMatchObject({
      code: 'ERR_OCELLUS_INSUFFICIENT_MEMORY',
    });
  });

  it('mixes a real CPU lane with faulty lanes, every result matching the CPU reference', async () => {
    const cpu = await openDevice('cpu', { discover: false });
    try {
      await using s = new Scheduler({ checkIntervalMs: 20 });
      s.addLane({ id: 'cpu', device: cpu });
      s.addLane({ id: 'f0', device: lab.devices[0]! });
      s.addLane({ id: 'f1', device: lab.devices[1]! });
      const expected = (await grayscale(cpu.tensor(PIXELS, [4, 4, 3])).data()) as Uint8Array;
      const results = await Promise.all(Array.from({ length: 40 }, () => s.submit(grayJob)));
      for (const r of results) expect(r.bytes).toEqual(expected);
      const done = doneBy(s);
      expect(done.cpu).toBeGreaterThan(0);
      expect(done.f0! + done.f1!).toBeGreaterThan(0);
      // the known-answer check passes on the CPU reference and on correct faulty devices
      await until(() => s.stats().lanes.every((l) => l.checks.length >= 1));
      for (const l of s.stats().lanes) expect(l.checks.every((c) => c.ok)).toBe(true);
    } finally {
      await cpu.close();
    }
  });
});
