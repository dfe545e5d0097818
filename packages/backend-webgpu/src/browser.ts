/**
 * @ocellus/backend-webgpu for browsers: the same backend on navigator.gpu. Imports nothing of Node and not
 * the 'webgpu' package: `import { backend } from '@ocellus/backend-webgpu/browser'`, then
 * `registerBackend(backend)` and `openDevice('webgpu')` from @ocellus/core.
 */
import type { BackendPlugin, ProbeResult } from '@ocellus/core';
import { browserGpu } from './browser-gpu.js';
import { liveObjects } from './objects.js';
import { createBackend, probeWith } from './plugin.js';

export * from './shared.js';

export const backend: BackendPlugin = createBackend(
  browserGpu,
  'WebGPU: WGSL kernels for the image op set on navigator.gpu',
);

export default backend;

/** Lists WebGPU adapters, or none and why. Never throws. */
export function probeWebGpu(): Promise<ProbeResult> {
  return probeWith(browserGpu);
}

/** Live objects of this package (devices, buffers) and holders of navigator.gpu, for leak tests. */
export function objectCounts(): { devices: number; buffers: number; gpuHolders: number; gpuInstances: number } {
  return { ...liveObjects(), gpuHolders: browserGpu.holders, gpuInstances: browserGpu.instances };
}
