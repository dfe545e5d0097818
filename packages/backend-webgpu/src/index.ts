/**
 * @ocellus/backend-webgpu for Node: core's image op set as WGSL compute kernels on Dawn (npm `webgpu`).
 * The package loads without a GPU; probe() then lists no devices and says what to install.
 * Browsers get the same backend on navigator.gpu from '@ocellus/backend-webgpu/browser'.
 */
import type { BackendPlugin, ProbeResult } from '@ocellus/core';
import { NO_ADAPTER, dawnLoadError, nodeGpu } from './node-gpu.js';
import { probeInChild } from './node-probe.js';
import { liveObjects } from './objects.js';
import { createBackend } from './plugin.js';

export * from './shared.js';
export { SWIFTSHADER_ICD, swiftShaderEnv } from './swiftshader.js';

/**
 * Lists WebGPU adapters, or none and why (no 'webgpu' package, no adapter). Never throws. Runs Dawn in a child process
 * (node-probe.ts).
 */
export function probeWebGpu(): Promise<ProbeResult> {
  return probeInChild(NO_ADAPTER, dawnLoadError);
}

export const backend: BackendPlugin = createBackend(
  nodeGpu,
  'WebGPU: WGSL kernels for the image op set on Dawn (GPUs, and SwiftShader on the CPU)',
  probeWebGpu,
);

export default backend;

/** Live objects of this package (devices, buffers) and holders of the Dawn instance, for leak tests. */
export function objectCounts(): { devices: number; buffers: number; gpuHolders: number; gpuInstances: number } {
  return { ...liveObjects(), gpuHolders: nodeGpu.holders, gpuInstances: nodeGpu.instances };
}
