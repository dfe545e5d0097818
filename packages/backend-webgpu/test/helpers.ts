import { registerBackend, testImage } from '@ocellus/core';
import { afterAll, expect } from 'vitest';
import { backend, objectCounts, probeWebGpu } from '../src/index.js';

registerBackend(backend, { priority: 150 });
export const probe = await probeWebGpu();
export const hasDevice = probe.devices.length > 0;
if (!hasDevice) console.warn(`[backend-webgpu] no WebGPU adapter, device tests skipped: ${probe.reason}`);

/** Asserts, once the file's tests are done, that every context was closed and every buffer destroyed. */
export function expectNoLiveObjects(): void {
  afterAll(() => {
    expect(objectCounts()).toMatchObject({ devices: 0, buffers: 0, gpuHolders: 0 });
  });
}

export const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export { testImage };
