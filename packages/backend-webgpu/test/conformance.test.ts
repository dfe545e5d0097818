// Core's shared conformance suite on the first WebGPU adapter (SwiftShader here): every op of the op set
// against the CPU reference, then no uncaptured WebGPU error on the device and nothing left alive.
import { CONFORMANCE_CASES, type Device, describeConformance, openDevice } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuContext } from '../src/index.js';
import { expectNoLiveObjects } from './helpers.js';

let opened: Device | undefined;
const errors: string[] = [];
afterAll(() => {
  expect(errors).toEqual([]);
});
expectNoLiveObjects();

await describeConformance(
  { describe, it, afterAll },
  {
    device: async () => {
      opened = await openDevice('webgpu', { discover: false });
      const ctx = webgpuContext(opened);
      const close = ctx.close.bind(ctx);
      // Collect the device's uncaptured errors when the suite closes it.
      ctx.close = async () => {
        errors.push(...ctx.errors);
        await close();
      };
      return opened;
    },
  },
);

// The same cases with no tolerance at all: every kernel reproduces the CPU reference's integer
// arithmetic (float16 included: its bits come from core's converter), so the bytes must be identical.
await describeConformance(
  { describe: (name, fn) => describe(`bit-exact: ${name}`, fn), it, afterAll },
  { device: 'webgpu', cases: CONFORMANCE_CASES.map((c) => ({ ...c, tolerance: { atol: 0 } })) },
);
