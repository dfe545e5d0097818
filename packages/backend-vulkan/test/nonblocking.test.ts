// The JS thread never waits on the device: with many heavy batches in flight, flush() does not block when
// 8 are in flight, close() waits off the thread, and GLSL compiles in a child process. Checked by an
// event-loop lateness probe, relative to the GPU time measured in the same test (not in milliseconds).
import { openDevice } from '@ocellus/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerKernel, vulkanContext } from '../src/index.js';
import { expectCleanValidation, hasDevice } from './helpers.js';

expectCleanValidation();

// Each invocation iterates a hash `iters` times: GPU time without memory traffic, sized by a push constant.
const SPIN = `#version 450
  layout(local_size_x = 64) in;
  layout(std430, binding = 0) readonly buffer Src { uint src[]; };
  layout(std430, binding = 1) writeonly buffer Dst { uint dst[]; };
  layout(push_constant) uniform P { uint words; uint iters; };
  void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= words) return;
    uint x = src[i];
    for (uint k = 0u; k < iters; k++) x = (x * 1664525u + 1013904223u) ^ (x >> 7);
    dst[i] = x;
  }`;

/** Records how late a 2 ms interval fires at worst: how long the event loop was blocked. */
function latenessProbe() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 2);
    last = now;
  }, 2);
  return {
    reset: () => {
      last = performance.now();
      worst = 0;
    },
    worst: () => Math.max(worst, performance.now() - last - 2),
    stop: () => clearInterval(timer),
  };
}

describe.skipIf(!hasDevice)('the JS thread never waits on the device', () => {
  beforeAll(async () => {
    await registerKernel({ name: 'spin', glsl: SPIN, bindings: 2, pushConstants: 8, workgroups: () => [16] });
  });

  it('registerKernel compiles GLSL in a child process: the event loop turns meanwhile', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const p = registerKernel({ name: 'spin2', glsl: SPIN, bindings: 2, pushConstants: 8, workgroups: () => [16] });
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(turned).toBe(true); // a synchronous glslc would have returned before the loop turned
  });

  // One measurement on a fresh device: 16 heavy batches then sync(), then 8 more and close().
  async function measure(iters: number) {
    const dev = await openDevice('vulkan', { discover: false });
    const ctx = vulkanContext(dev);
    const src = dev.tensor(
      new Uint8Array(64 * 64).map((_, i) => i),
      [64, 64, 1],
    );
    const dst = dev.empty('uint8', [64, 64, 1]);
    const push = (n: number) => Uint32Array.of(1024, n);
    // Size one batch to ~120 ms of GPU time, so the phases are long next to scheduling noise (2 cores).
    for (let ms = 0; iters === 0 || ms < 80; ) {
      iters ||= 20_000;
      const t = performance.now();
      ctx.runCustom('spin', [src], [dst], push(iters));
      await ctx.sync();
      ms = performance.now() - t;
      if (ms < 80) iters = Math.min(2e9, Math.ceil((iters * 120) / Math.max(ms, 1)));
      if (iters === 2e9) break;
    }
    const probe = latenessProbe();
    const phase = async (batches: number, end: () => Promise<void>) => {
      probe.reset();
      const t = performance.now();
      for (let i = 0; i < batches; i++) {
        ctx.runCustom('spin', [src], [dst], push(iters));
        ctx.flush();
      }
      await end();
      return { total: performance.now() - t, worst: probe.worst() };
    };
    try {
      // 16 batches: past 8 in flight, flush() defers instead of waiting for the oldest one.
      const inflight = await phase(16, () => ctx.sync());
      // close() right after submitting 8 batches: it waits for them off the JS thread, then destroys.
      const closing = await phase(8, () => dev.close());
      return { iters, inflight, closing };
    } finally {
      probe.stop();
      if (!dev.closed) await dev.close();
    }
  }

  it('16 heavy batches in flight, then close() with work in flight: never blocked for the GPU time', async () => {
    // Blocking is deterministic and fails every attempt; a machine busy with other jobs can starve the
    // thread once, so a second measurement is taken before failing.
    let r = await measure(0);
    const ok = (m: typeof r) => m.inflight.worst < 0.25 * m.inflight.total && m.closing.worst < 0.25 * m.closing.total;
    for (let attempt = 1; attempt < 3 && !ok(r); attempt++) r = await measure(r.iters);
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(
      `[nonblocking] iters ${r.iters}: 16 batches ${ms(r.inflight.total)} ` +
        `(event loop late at most ${ms(r.inflight.worst)}), ` +
        `close ${ms(r.closing.total)} (late at most ${ms(r.closing.worst)})`,
    );
    expect(r.inflight.worst).toBeLessThan(0.25 * r.inflight.total);
    expect(r.closing.worst).toBeLessThan(0.25 * r.closing.total);
  });
});
