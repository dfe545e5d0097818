/**
 * The GPU entry point in Node: Dawn from the npm `webgpu` package. The object `create()` returns is kept
 * referenced while anything holds it (an open context, a probe): if garbage collection destroys the Dawn
 * instance under running work the process crashes. When the last holder releases it (contexts destroy their
 * GPUDevice first), the reference is dropped after IDLE_MS: each Dawn instance created and dropped costs
 * ~2 MB that is never returned (measured with SwiftShader: +486 MB over 200 open/close cycles, +73 MB when
 * the instance is reused) and ~20 ms, so back-to-back open/close reuses it. The timer is unref()ed and a
 * held instance without a device does not keep Node alive: the process still exits by itself.
 * VK_ADD_DRIVER_FILES is never set here: it would change what every other Vulkan user in the process
 * (the Vulkan backend) sees.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { GpuHandle, GpuSource } from './gpu-source.js';
import { SWIFTSHADER_ICD } from './swiftshader.js';

interface DawnModule {
  create(options: string[]): GPU;
}

export const NO_ADAPTER =
  'WebGPU: Dawn found no adapter (no GPU driver Dawn can use). On Debian without a GPU: ' +
  `apt-get install chromium-common and export VK_ADD_DRIVER_FILES=${SWIFTSHADER_ICD} ` +
  '(SwiftShader, a CPU implementation); with a GPU, install its Vulkan driver (e.g. mesa-vulkan-drivers)';

let dawn: { module?: DawnModule; error?: string } | undefined;
let instance: GPU | undefined;
let holders = 0;
let dropTimer: ReturnType<typeof setTimeout> | undefined;
const IDLE_MS = 1000;

function loadDawn(): { module?: DawnModule; error?: string } {
  if (dawn) return dawn;
  try {
    // `webgpu` is an ES module; Node 20.19+ require()s it (both builds of this package load it the same way).
    dawn = { module: createRequire(import.meta.url)('webgpu') as DawnModule };
  } catch (err) {
    dawn = {
      error:
        `WebGPU: the npm package 'webgpu' (Dawn for Node) could not be loaded (` +
        `${(err as Error).message.split('\n')[0]}): ` +
        'reinstall the dependencies of @ocellus/backend-webgpu (it ships Dawn for linux-x64/arm64, darwin, ' +
        'win32), on Node >= 20.19',
    };
  }
  return dawn;
}

/** Why Dawn cannot be loaded here, or undefined when it can. */
export function dawnLoadError(): string | undefined {
  return loadDawn().error;
}

export const nodeGpu: GpuSource = {
  noAdapterReason: NO_ADAPTER,
  get holders() {
    return holders;
  },
  get instances() {
    return instance ? 1 : 0;
  },
  async acquire(): Promise<GpuHandle | { reason: string }> {
    const { module, error } = loadDawn();
    if (!module) return { reason: error! };
    clearTimeout(dropTimer);
    dropTimer = undefined;
    // Mesa's WSI prints "XDG_RUNTIME_DIR is invalid" to stderr when it is unset; Mesa reads it for
    // Wayland sockets only, which compute never uses, so a temp dir is given when there is none.
    process.env.XDG_RUNTIME_DIR ??= tmpdir();
    try {
      instance ??= module.create([]);
    } catch (err) {
      return { reason: `WebGPU: Dawn's create() failed: ${(err as Error).message}` };
    }
    holders++;
    let held = true;
    return {
      gpu: instance,
      release() {
        if (!held) return;
        held = false;
        if (--holders > 0) return;
        dropTimer = setTimeout(() => {
          instance = undefined;
          dropTimer = undefined;
        }, IDLE_MS);
        dropTimer.unref?.();
      },
    };
  },
};
