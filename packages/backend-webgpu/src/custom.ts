/**
 * Custom kernels: the WebGPU twin of backend-vulkan's registerKernel. A kernel is WGSL plus its interface:
 * storage buffers at @group(0) @binding(0..n-1) (the inputs, then the outputs), an optional uniform block
 * at @binding(n) (WebGPU has no push constants), and how many workgroups to launch for given tensors.
 * Core's Device only runs ops of the op set, so custom kernels run through the context:
 * `await webgpuContext(device).compileKernel(name)` (WebGPU reports compile errors asynchronously, so
 * compiling is a separate awaited step that throws WgslCompileError with the compiler's messages), then
 * `runCustom(...)`. Their outputs are ordinary tensors from `device.empty()`, and they chain with the
 * built-in ops in the same command stream: no host round trip.
 */
import { OcellusError, type TensorView } from '@ocellus/core';
import { KERNEL_ERROR } from './errors.js';

export interface KernelSpec {
  /** Unique name; registering it again replaces it (contexts compile the new version on next compileKernel). */
  readonly name: string;
  /** WGSL source of a compute shader. */
  readonly wgsl: string;
  /** Entry point (default 'main'). */
  readonly entryPoint?: string;
  /** Storage buffers at @group(0) @binding(0..bindings-1): the inputs, then the outputs. */
  readonly bindings: number;
  /** Bytes of the uniform block at @binding(bindings) (a multiple of 4; 0 or absent for none). */
  readonly uniformBytes?: number;
  /** Workgroups to dispatch ([x, y?, z?]) for the given tensors. */
  workgroups(inputs: readonly TensorView[], outputs: readonly TensorView[]): readonly [number, number?, number?];
}

export interface CustomKernel extends Required<Omit<KernelSpec, 'workgroups'>> {
  readonly serial: number;
  workgroups(inputs: readonly TensorView[], outputs: readonly TensorView[]): readonly [number, number?, number?];
}

const registry = new Map<string, CustomKernel>();
let serial = 0;

/** Registers a custom WGSL kernel for every WebGPU context of this process (checked here; compiled per context). */
export function registerKernel(spec: KernelSpec): void {
  if (!spec.name) throw new OcellusError(KERNEL_ERROR, 'a custom kernel needs a name');
  if (typeof spec.wgsl !== 'string' || !spec.wgsl.trim()) {
    throw new OcellusError(KERNEL_ERROR, `kernel '${spec.name}': give its WGSL source as 'wgsl'`);
  }
  if (!Number.isInteger(spec.bindings) || spec.bindings < 0 || spec.bindings > 8) {
    throw new OcellusError(
      KERNEL_ERROR,
      `kernel '${spec.name}': bindings must be an integer 0..8 (the guaranteed storage buffers per stage)`,
    );
  }
  const uniformBytes = spec.uniformBytes ?? 0;
  if (!Number.isInteger(uniformBytes) || uniformBytes < 0 || uniformBytes % 4 !== 0 || uniformBytes > 16384) {
    throw new OcellusError(KERNEL_ERROR, `kernel '${spec.name}': uniformBytes must be a multiple of 4, at most 16384`);
  }
  if (typeof spec.workgroups !== 'function') {
    throw new OcellusError(KERNEL_ERROR, `kernel '${spec.name}': workgroups(inputs, outputs) must return [x, y?, z?]`);
  }
  registry.set(spec.name, {
    name: spec.name,
    wgsl: spec.wgsl,
    entryPoint: spec.entryPoint ?? 'main',
    bindings: spec.bindings,
    uniformBytes,
    serial: ++serial,
    workgroups: spec.workgroups,
  });
}

export function unregisterKernel(name: string): boolean {
  return registry.delete(name);
}

/** @internal */
export function getCustomKernel(name: string): CustomKernel {
  const k = registry.get(name);
  if (!k)
    throw new OcellusError(
      'ERR_OCELLUS_WEBGPU_UNKNOWN_KERNEL',
      `no custom kernel '${name}': registerKernel() it first`,
    );
  return k;
}
