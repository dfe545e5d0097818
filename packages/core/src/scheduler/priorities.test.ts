import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../index.js';
import { type FaultyLab, deferred, faultyLab, sleep } from './test-kit.js';
import type { Priority } from './types.js';

let lab: FaultyLab;
beforeAll(async () => {
  lab = await faultyLab(2);
});
afterAll(() => lab.close());

describe('scheduler priorities', () => {
  it('serves the higher class first and FIFO within a class', async () => {
    await using s = new Scheduler({ agingMs: Number.POSITIVE_INFINITY, checkIntervalMs: Number.POSITIVE_INFINITY });
    s.addLane({ id: 'a', device: lab.devices[0]! });
    const gate = deferred();
    const blocker = s.submit(() => gate.promise);
    const order: string[] = [];
    const plan: [Priority, string][] = [
      ['batch', 'b1'],
      ['normal', 'n1'],
      ['realtime', 'r1'],
      ['batch', 'b2'],
      ['realtime', 'r2'],
      ['normal', 'n2'],
      ['realtime', 'r3'],
    ];
    const jobs = plan.map(([priority, name]) => s.submit(() => void order.push(name), { priority }));
    expect(s.stats().classes.realtime.queued).toBe(3);
    gate.resolve();
    await Promise.all([blocker, ...jobs]);
    expect(order).toEqual(['r1', 'r2', 'r3', 'n1', 'n2', 'b1', 'b2']);
    expect(s.stats().classes.batch.done).toBe(2);
  });

  // Sustained realtime load: three realtime jobs always outstanding (each completion submits the next),
  // so the realtime queue is never empty. Aging must still move batch jobs through.
  async function saturate(agingMs: number) {
    const s = new Scheduler({ agingMs, checkIntervalMs: Number.POSITIVE_INFINITY });
    s.addLane({ id: 'a', device: lab.devices[0]! });
    const work = () => sleep(2);
    let realtimeDone = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        await s.submit(work, { priority: 'realtime' });
        realtimeDone++;
      }
    };
    const loops = [loop(), loop(), loop()];
    await sleep(5);
    let batchDone = 0;
    const batch = Array.from({ length: 5 }, () =>
      s.submit(work, { priority: 'batch' }).then(
        () => batchDone++,
        () => {},
      ),
    );
    await until(() => batchDone === 5 || realtimeDone >= 400);
    const batchDoneUnderLoad = batchDone;
    stop = true;
    await Promise.all(loops);
    const stats = s.stats();
    await s.close();
    await Promise.all(batch);
    return { batchDoneUnderLoad, realtimeDone, stats };
  }

  async function until(fn: () => boolean) {
    while (!fn()) await sleep(5);
  }

  it('keeps realtime waits short under saturation while aging moves batch jobs through', async () => {
    const { batchDoneUnderLoad, stats } = await saturate(30);
    expect(batchDoneUnderLoad).toBe(5);
    const rt = stats.classes.realtime.wait.p99;
    const bt = stats.classes.batch.wait.p99;
    expect(stats.classes.batch.done).toBe(5);
    expect(rt).toBeLessThanOrEqual(bt / 5);
  });

  it('starves batch under the same load without aging (so the test above measures aging)', async () => {
    const { batchDoneUnderLoad, realtimeDone } = await saturate(Number.POSITIVE_INFINITY);
    expect(realtimeDone).toBeGreaterThanOrEqual(400);
    expect(batchDoneUnderLoad).toBe(0);
  });
});
