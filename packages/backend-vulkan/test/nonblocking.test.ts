// The JS thread never waits on the device: with many heavy batches in flight, flush() does not block when
// 8 are in flight, close() waits off the thread, and GLSL compiles in a child process. Checked by an
// event-loop lateness probe, relative to the GPU time measured in the same test (not in milliseconds).
import { type Device, openDevice } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  let dev: Device;
  beforeAll(async () => {
    await registerKernel({ name: 'spin', glsl: SPIN, bindings: 2, pushConstants: 8, workgroups: () => [16] });
    dev = await openDevice('vulkan', { discover: false });
  });
  afterAll(async () => {
    if (!dev.closed) await dev.close();
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

  it('16 heavy batches in flight, then close() with work in flight: never blocked for the GPU time', async () => {
    const ctx = vulkanContext(dev);
    using src = dev.tensor(new Uint8Array(64 * 64).map((_, i) => i), [64, 64, 1]);
    using dst = dev.empty('uint8', [64, 64, 1]);
    const push = (iters: number) => Uint32Array.of(1024, iters);
    // Size one batch to ~100 ms of GPU time, so the phases are long next to scheduling noise (2 cores).
    let iters = 20_000;
    for (;;) {
      const t = performance.now();
      ctx.runCustom('spin', [src], [dst], push(iters));
      await ctx.sync();
      const ms = performance.now() - t;
      if (ms >= 70 || iters > 1e8) break;
      iters = Math.ceil((iters * 100) / Math.max(ms, 1));
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
      expect(ctx.memory().submits).toBeGreaterThan(0);
      // close() right after submitting 8 batches: it waits for them off the JS thread, then destroys.
      const closing = await phase(8, () => dev.close());
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      console.log(
        `[nonblocking] iters ${iters}: 16 batches ${ms(inflight.total)} ` +
          `(event loop late at most ${ms(inflight.worst)}), ` +
          `close ${ms(closing.total)} (late at most ${ms(closing.worst)})`,
      );
      expect(inflight.worst).toBeLessThan(0.25 * inflight.total);
      expect(closing.worst).toBeLessThan(0.25 * closing.total);
    } finally {
      probe.stop();
    }
  });
});
