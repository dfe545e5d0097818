import type { AdapterInfo } from './devices.js';
import type { OpName, OpResult } from './pipeline.js';
import { type Pixels, toBase64 } from './pixels.js';

export type DeviceKind = 'webgpu' | 'cpu';

/**
 * The page's state, exposed as `window.__ocellus` so tests (and curious users in the console) can read
 * exactly what the page computed, without going through canvas colour handling.
 */
export interface DemoState {
  /** Devices are open and an image is loaded; false while starting or loading an image. */
  ready: boolean;
  /** An op is running. */
  busy: boolean;
  /** The backend the results shown come from: webgpu, or the CPU when there is no WebGPU. */
  backend: DeviceKind;
  adapter: AdapterInfo | null;
  /** The device id WebGPU results come from, e.g. 'webgpu:0'. */
  webgpuDevice: string | null;
  /** Why there is no WebGPU, when there is none. */
  webgpuMissing: string | null;
  image: { name: string; width: number; height: number } | null;
  input: Pixels | null;
  results: Partial<Record<OpName, Partial<Record<DeviceKind, OpResult>>>>;
  error: string | null;
  /** Base64 of raw HWC bytes: the input, or an op's result on a device. */
  pixels(what: 'input' | OpName, device?: DeviceKind): string | null;
}

export function createDemoState(): DemoState {
  const state: DemoState = {
    ready: false,
    busy: false,
    backend: 'cpu',
    adapter: null,
    webgpuDevice: null,
    webgpuMissing: null,
    image: null,
    input: null,
    results: {},
    error: null,
    pixels(what, device = state.backend) {
      const p = what === 'input' ? state.input : state.results[what]?.[device]?.pixels;
      return p ? toBase64(p.data) : null;
    },
  };
  return state;
}

declare global {
  interface Window {
    __ocellus: DemoState;
  }
}
