// 1,000 open/run/close cycles in a child Node process: every buffer and device is destroyed, tensors and
// context statistics come back to zero, and the process then exits by itself (the Dawn instance is
// released with the last context; a timeout guards against a process kept alive).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDevice } from './helpers.js';

const root = join(import.meta.dirname, '..');
const CYCLES = 1000;

const SCRIPT = `
const core = require('@ocellus/core');
const { backend, objectCounts } = require('./dist/index.cjs');
(async () => {
  core.registerBackend(backend, { priority: 150 });
  const img = core.testImage(24, 32, 3);
  const bad = [];
  const refs = [];
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < ${CYCLES}; i++) {
    const d = await core.openDevice('webgpu', { discover: false });
    const t = d.tensor(img.data, img.shape);
    // Every cycle compiles its pipelines anew (they belong to the device); SwiftShader takes ~0.4 s for
    // Canny's, so every 100th cycle runs the whole chain (temporaries, pool) and the others grayscale.
    const full = i % 100 === 0;
    const e = full ? core.canny(core.grayscale(t)) : core.grayscale(t);
    await e.data();
    if (d.memory().liveBuffers !== (full ? 3 : 2)) bad.push('live ' + d.memory().liveBuffers);
    const ctx = d.context;
    await d.close(); // disposes the three tensors, destroys the device
    if (i % 100 === 0) refs.push(new WeakRef(ctx));
    const m = ctx.memory();
    if (m.allocatedBytes || m.liveBuffers || m.pooledBytes || m.deviceMemoryBytes) bad.push(JSON.stringify(m));
    if (ctx.errors.length) bad.push(ctx.errors[0]);
  }
  const objects = objectCounts();
  await new Promise((r) => setTimeout(r, 100));
  global.gc();
  await new Promise((r) => setTimeout(r, 100));
  global.gc();
  // Contexts are garbage once closed (nothing of Dawn's keeps them); the most recent may sit in a register.
  const contextsAlive = refs.slice(0, -1).filter((r) => r.deref()).length;
  // The Dawn instance is dropped a moment after the last context closed (an unref()ed timer).
  await new Promise((r) => setTimeout(r, 1500));
  console.log(JSON.stringify({
    bad: bad.slice(0, 5),
    objects,
    contextsAlive,
    later: objectCounts(),
    tensors: core.liveTensorCounts(),
    msPerCycle: (performance.now() - t0) / ${CYCLES},
    rssGrowthMiB: (process.memoryUsage().rss - rss0) / 2 ** 20,
  }));
  // No process.exit(): the test checks that nothing keeps the event loop alive.
})();`;

describe.skipIf(!hasDevice)('leaks', () => {
  const cyclesTitle =
    `leaves no buffer, device or tensor after ${CYCLES} open/run/close cycles, ` + 'and the process exits by itself';
  it(cyclesTitle, async () => {
    const started = Date.now();
    const { code, signal, stdout, stderr } = await new Promise<{
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--expose-gc', '-e', SCRIPT],
        { cwd: root, timeout: 540_000, maxBuffer: 64 * 2 ** 20 },
        () => {},
      );
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(signal, `killed by the timeout guard (did not exit by itself):\n${stderr.slice(-2000)}`).toBeNull();
    expect(code, stderr.slice(-2000)).toBe(0);
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(
      `[leak] ${CYCLES} cycles, ${r.msPerCycle.toFixed(1)} ms each, RSS grew ${r.rssGrowthMiB.toFixed(1)} ` +
        `MiB; child exited after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(r.bad).toEqual([]);
    expect(r.objects).toEqual({ devices: 0, buffers: 0, gpuHolders: 0, gpuInstances: 1 });
    expect(r.later).toEqual({ devices: 0, buffers: 0, gpuHolders: 0, gpuInstances: 0 });
    expect(r.tensors).toEqual({});
    expect(r.contextsAlive).toBe(0);
    expect(r.rssGrowthMiB).toBeLessThan(300);
  }, 600_000);
});
