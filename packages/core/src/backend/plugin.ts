import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

/**
 * The plugin contract: the one small interface our backends and third-party backends implement.
 * A backend depends on @ocellus/core as a peer dependency and exports a `BackendPlugin`
 * (as `backend` or as the default export). Bump PLUGIN_API_VERSION on any breaking change here.
 */
export const PLUGIN_API_VERSION = 1;

export type DeviceType = 'cpu' | 'discrete' | 'integrated' | 'virtual' | 'other';

export interface DeviceInfo {
  /** The backend's name, e.g. 'vulkan'. */
  readonly backend: string;
  /** Index among the backend's devices; `${backend}:${index}` is the device id. */
  readonly index: number;
  readonly name: string;
  readonly type: DeviceType;
  readonly memoryBytes?: number;
  readonly vendor?: string;
  readonly driver?: string;
  /** Backend-specific facts: subgroup size, float16 support, limits... */
  readonly features?: Readonly<Record<string, string | number | boolean>>;
}

export interface ProbeResult {
  readonly devices: readonly DeviceInfo[];
  /** Why there are no devices (or fewer than expected), in words a user can act on. */
  readonly reason?: string;
}

/** An opaque handle to memory owned by one DeviceContext. Backends extend it. */
export interface DeviceBuffer {
  readonly byteLength: number;
}

/** What a kernel sees of a tensor: its buffer on this context, dtype and row-major shape. */
export interface TensorView {
  readonly buffer: DeviceBuffer;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly size: number;
}

export interface MemoryStats {
  /** Bytes held by live buffers. */
  readonly allocatedBytes: number;
  /** The most `allocatedBytes` has been since the context opened. */
  readonly peakBytes: number;
  /** Bytes kept in a reuse pool, not in use. */
  readonly pooledBytes: number;
  readonly liveBuffers: number;
  /** Host -> device and device -> host copies, and their bytes. */
  readonly uploads: number;
  readonly downloads: number;
  readonly uploadBytes: number;
  readonly downloadBytes: number;
  /** Kernels run. */
  readonly kernelRuns: number;
}

/**
 * One device, one queue/stream, isolated from every other context. Created by BackendPlugin.open();
 * users reach it through core's `Device`, which validates every call before it gets here, so a
 * backend can trust that inputs live on this context, have the op's dtypes and shapes, and that
 * attributes are complete and typed.
 */
export interface DeviceContext {
  readonly device: DeviceInfo;
  /** Allocates at least `byteLength` bytes; the contents are undefined. */
  alloc(byteLength: number): DeviceBuffer;
  /** Returns a buffer to the context (to its pool or to the driver). */
  free(buffer: DeviceBuffer): void;
  /** Copies host bytes into `target` at `byteOffset`. */
  upload(source: Uint8Array, target: DeviceBuffer, byteOffset?: number): void;
  /** Copies `byteLength` bytes of `source` from `byteOffset` to a new host array, after all queued work. */
  download(source: DeviceBuffer, byteOffset?: number, byteLength?: number): Promise<Uint8Array>;
  /** Whether this context has a kernel for an op of the op set. */
  supports(op: string): boolean;
  /** Queues (or runs) the kernel of `op`; outputs are allocated by the caller with the op's shape rule. */
  run(
    op: string,
    inputs: readonly TensorView[],
    outputs: readonly TensorView[],
    attrs: Readonly<Record<string, unknown>>,
  ): void;
  /** Resolves once all queued work has finished. */
  sync(): Promise<void>;
  memory(): MemoryStats;
  /** Frees every buffer and object of the context. Idempotent. */
  close(): Promise<void>;
}

export interface BackendPlugin {
  readonly name: string;
  /** The PLUGIN_API_VERSION of the @ocellus/core this plugin was built against. */
  readonly apiVersion: number;
  readonly description?: string;
  /** Lists devices. Never throws because a driver or device is missing: returns no devices and a reason. */
  probe(): Promise<ProbeResult>;
  open(device: DeviceInfo): Promise<DeviceContext>;
}

export function deviceId(device: Pick<DeviceInfo, 'backend' | 'index'>): string {
  return `${device.backend}:${device.index}`;
}
