/**
 * The one file that touches the native addon (build/Release/ocellus_vulkan.node, built by cmake-js).
 * Loading never throws: where the addon is missing, `loadAddon()` says how to build it. The addon itself
 * loads the Vulkan loader (libvulkan.so.1, libvulkan.1.dylib, vulkan-1.dll) only when first asked, so
 * requiring it works on machines without Vulkan. It is context-aware: worker_threads may load it too.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeDevice {
  readonly index: number;
  readonly name: string;
  readonly type: 'discrete' | 'integrated' | 'virtual' | 'cpu' | 'other';
  readonly vendor: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly driver: string;
  readonly apiVersion: string;
  readonly deviceLocalBytes: number;
  readonly heaps: readonly { readonly bytes: number; readonly deviceLocal: boolean }[];
  readonly maxWorkgroupSize: readonly [number, number, number];
  readonly maxWorkgroupInvocations: number;
  readonly subgroupSize: number;
  readonly float16: boolean;
  readonly int8: boolean;
  readonly storage8: boolean;
  readonly storage16: boolean;
  readonly maxStorageBufferRange: number;
  readonly maxAllocation: number;
  readonly maxPushConstants: number;
}

export interface NativeMemory {
  readonly allocatedBytes: number;
  readonly peakBytes: number;
  readonly pooledBytes: number;
  readonly liveBuffers: number;
  readonly uploads: number;
  readonly downloads: number;
  readonly uploadBytes: number;
  readonly downloadBytes: number;
  readonly kernelRuns: number;
  readonly submits: number;
  readonly deviceMemoryBytes: number;
  readonly hostStagingBytes: number;
}

export interface ValidationReport {
  /** OCELLUS_VULKAN_VALIDATION was set when the Vulkan instance was created. */
  readonly requested: boolean;
  /** VK_LAYER_KHRONOS_validation was found and enabled. */
  readonly enabled: boolean;
  /** A VK_EXT_debug_utils messenger counts the messages below. */
  readonly messenger: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly otherErrors: number;
  readonly messages: readonly string[];
}

/** A VkDevice with its queue, command pool, buffer pool and pipelines (native/src/context.cpp). */
export interface NativeContext {
  alloc(byteLength: number): number;
  free(id: number): void;
  upload(id: number, byteOffset: number, data: Uint8Array): void;
  download(id: number, byteOffset: number, byteLength: number): Promise<Uint8Array>;
  fill(id: number, byteOffset: number, byteLength: number, value: number): void;
  copy(src: number, srcOffset: number, dst: number, dstOffset: number, byteLength: number): void;
  builtinKernel(name: string): number;
  createKernel(name: string, spirv: Uint32Array, bindings: number, pushConstantBytes: number): number;
  dispatch(
    kernel: number,
    params: Uint8Array | null,
    buffers: readonly number[],
    push: Uint8Array | null,
    x: number,
    y: number,
    z: number,
  ): void;
  countKernelRun(): void;
  /** Submits what is recorded; with 8 batches in flight it stays recording (deferred) and never waits. */
  flush(): void;
  sync(): Promise<void>;
  /** A promise when a batch is deferred: resolved once the oldest batch completed and the deferred one went. */
  drain(): Promise<void> | undefined;
  memory(): NativeMemory;
  /** Submits, waits for the device on a worker thread, then destroys every Vulkan object of the context. */
  close(): Promise<void>;
}

export interface NativeAddon {
  probe(): { devices: NativeDevice[]; reason?: string };
  objectCounts(): Record<string, number>;
  validation(): ValidationReport;
  /** The Vulkan loader's file names tried on `platform` (Node's names; this platform by default). */
  loaderNames(platform?: string): string[];
  /** Loads the Vulkan loader from `names` (tests: missing or broken ones); all or nothing, retried each call. */
  loadLoader(names?: readonly string[]): { loaded: boolean; error?: string };
  Context: new (index: number) => NativeContext;
}

const here = dirname(fileURLToPath(import.meta.url)); // src/ in tests, dist/ when installed: both one level down
/** Where the addon is loaded from (OCELLUS_VULKAN_ADDON overrides it, e.g. to test a missing build). */
export const addonPath: string =
  process.env.OCELLUS_VULKAN_ADDON ?? join(here, '..', 'build', 'Release', 'ocellus_vulkan.node');

let cached: { addon?: NativeAddon; error?: string } | undefined;

/** The addon, or why it cannot be loaded, in words that say how to build it. */
export function loadAddon(): { addon?: NativeAddon; error?: string } {
  if (cached) return cached;
  try {
    cached = { addon: createRequire(import.meta.url)(addonPath) as NativeAddon };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'MODULE_NOT_FOUND' ? 'is not built' : `failed to load (${(err as Error).message.split('\n')[0]})`;
    cached = {
      error:
        `the native addon ${addonPath} ${why}: build it with \`pnpm --filter @ocellus/backend-vulkan build\` ` +
        '(needs apt-get install -y cmake g++ libvulkan-dev glslc)',
    };
  }
  return cached;
}
