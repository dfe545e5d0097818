/** The GPU entry point in browsers: `navigator.gpu` (owned by the page, so nothing to keep alive or drop). */
import type { GpuHandle, GpuSource } from './gpu-source.js';

let holders = 0;

export const browserGpu: GpuSource = {
  noAdapterReason:
    'WebGPU: navigator.gpu.requestAdapter() returned no adapter: enable hardware acceleration, or start ' +
    'Chromium with --enable-unsafe-webgpu (headless Linux gets SwiftShader)',
  get holders() {
    return holders;
  },
  instances: 0,
  async acquire(): Promise<GpuHandle | { reason: string }> {
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) {
      return {
        reason:
          'WebGPU: this browser has no navigator.gpu: use a browser with WebGPU (Chrome/Edge 113+, Safari ' +
          '26+, Firefox 141+) ' +
          'on a secure origin (https or localhost)',
      };
    }
    holders++;
    let held = true;
    return {
      gpu,
      release() {
        if (held) {
          held = false;
          holders--;
        }
      },
    };
  },
};
