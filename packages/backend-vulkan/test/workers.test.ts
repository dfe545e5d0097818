// The addon under worker_threads: two Workers and the main thread run grayscale on the Vulkan device at the same
// time, compared with core's CPU reference; then the Workers are terminated (mid-operation) and the main thread
// carries on. In a child process, so a crash at Worker teardown or at exit shows as a signal or exit code.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDevice } from './helpers.js';

const root = join(import.meta.dirname, '..');

const SCRIPT = `
const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const core = require('@ocellus/core');
const { backend } = require('./dist/index.cjs');
core.registerBackend(backend, { priority: 200 });
const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const same = (a, b) => bytes(a).equals(bytes(b));
async function round(dev, cpu, seed) {
  const img = core.testImage(37 + (seed % 5), 53, 3, seed);
  const [got, want] = await Promise.all([dev, cpu].map((d) => core.grayscale(d.tensor(img.data, img.shape)).data()));
  return same(got, want);
}
async function open() {
  return [await core.openDevice('vulkan', { discover: false }), await core.openDevice('cpu', { discover: false })];
}
if (isMainThread) {
  (async () => {
    const [dev, cpu] = await open();
    const workers = [0, 1].map(() => new Worker(process.argv[1], { eval: true })); // this script, as a Worker
    const counts = [0, 0];
    let bad = 0;
    // Each Worker keeps running rounds; once both did 10, they are terminated whatever they are doing.
    const done = new Promise((resolve) => workers.forEach((w, i) => w.on('message', (ok) => {
      if (!ok) bad++;
      if (++counts[i] >= 10 && counts.every((c) => c >= 10)) resolve();
    })));
    let mainOk = 0;
    let stop = false;
    const mainLoop = (async () => { while (!stop) if (await round(dev, cpu, mainOk + 100)) mainOk++; else bad++; })();
    await done;
    await Promise.all(workers.map((w) => w.terminate()));
    stop = true;
    await mainLoop;
    let after = 0;
    for (let i = 0; i < 10; i++) if (await round(dev, cpu, 200 + i)) after++;
    // A Worker started after the others ended loads the addon again.
    const late = new Worker(process.argv[1], { eval: true });
    const lateOk = await new Promise((resolve) => late.once('message', resolve));
    await late.terminate();
    await dev.close();
    console.log(JSON.stringify({ counts, bad, mainOk, after, lateOk }));
  })();
} else {
  (async () => {
    const [dev, cpu] = await open();
    for (let i = 0; ; i++) parentPort.postMessage(await round(dev, cpu, i));
  })();
}
`;

describe.skipIf(!hasDevice)('worker_threads', () => {
  it('runs on the device in two Workers and the main thread at once, survives their termination', () => {
    const r = spawnSync(process.execPath, ['-e', SCRIPT, SCRIPT], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.bad).toBe(0);
    expect(Math.min(...out.counts)).toBeGreaterThanOrEqual(10);
    expect(out.mainOk).toBeGreaterThan(0);
    expect(out.after).toBe(10);
    expect(out.lateOk).toBe(true);
  });
});
