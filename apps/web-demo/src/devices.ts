import { type Device, openDevice, registerBackend } from '@ocellus/core';
import { webgpuBackend } from './webgpu-backend.js';

/** What the browser says about its WebGPU adapter (GPUAdapterInfo). */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
}

export type WebGpuOpening = { readonly device: Device; readonly adapter: AdapterInfo } | { readonly reason: string };

const HOW_TO_ENABLE =
  'Use a browser with WebGPU (Chrome or Edge 113+) on https or localhost; headless or GPU-less Linux ' +
  'Chromium needs --enable-unsafe-webgpu (it then runs on SwiftShader, on the CPU).';

/**
 * Opens the WebGPU device, or says why there is none. The adapter is asked for here too, only to show
 * what the browser offers; the backend opens its own.
 */
export async function openWebGpu(): Promise<WebGpuOpening> {
  // Typed as always there, but missing in browsers without WebGPU and on insecure origins.
  const gpu = (navigator as Partial<Navigator>).gpu;
  if (!gpu) return { reason: `This browser has no WebGPU (navigator.gpu is missing). ${HOW_TO_ENABLE}` };
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    return {
      reason: `WebGPU is there but the browser gave no adapter (requestAdapter() returned null). ${HOW_TO_ENABLE}`,
    };
  }
  const { vendor, architecture, device, description } = adapter.info;
  try {
    registerBackend(webgpuBackend, { priority: 150 });
    // Name the backend: 'auto' would pass over a software adapter (SwiftShader) in favour of the CPU.
    return {
      device: await openDevice('webgpu', { discover: false }),
      adapter: { vendor, architecture, device, description },
    };
  } catch (err) {
    return {
      reason: `The WebGPU backend could not open a device: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** The CPU reference backend (built into core), for comparison. */
export function openCpu(): Promise<Device> {
  return openDevice('cpu', { discover: false });
}
