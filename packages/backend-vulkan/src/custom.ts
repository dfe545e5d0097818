/**
 * Custom kernels: the Vulkan twin of "inject a PTX kernel". A kernel is SPIR-V (or GLSL, compiled here
 * with glslc) plus its interface: storage-buffer bindings (the inputs then the outputs), push-constant
 * bytes, and how many workgroups to launch for given tensors. Core's Device only runs ops of the op set,
 * so custom kernels run through the context: `(device.context as VulkanContext).runCustom(...)`; their
 * outputs are ordinary tensors created with `device.empty()`, and they chain with built-in ops without
 * a host round trip (same queue, same command buffer).
 */
import { execFile } from 'node:child_process';
import { OcellusError, type TensorView } from '@ocellus/core';

export interface KernelSpec {
  /** Unique name; registering it again replaces it (contexts compile the new version on next use). */
  readonly name: string;
  /** SPIR-V words (entry point `main`, compute stage, descriptor set 0). */
  readonly spirv?: Uint32Array;
  /** GLSL compute shader source, compiled with glslc (a child process, off the JS thread) when registered. */
  readonly glsl?: string;
  /** Number of storage-buffer bindings: the inputs, then the outputs. */
  readonly bindings: number;
  /** Push-constant bytes (a multiple of 4; 0 for none). */
  readonly pushConstants?: number;
  /** Workgroups to dispatch ([x, y?, z?]) for the given tensors. */
  workgroups(inputs: readonly TensorView[], outputs: readonly TensorView[]): readonly [number, number?, number?];
}

export interface CustomKernel {
  readonly name: string;
  readonly spirv: Uint32Array;
  readonly bindings: number;
  readonly pushConstants: number;
  readonly serial: number;
  workgroups(inputs: readonly TensorView[], outputs: readonly TensorView[]): readonly [number, number?, number?];
}

const registry = new Map<string, CustomKernel>();
let serial = 0;

const latest = new Map<string, number>(); // name -> the ticket of its last registerKernel() call

/**
 * Registers a custom compute kernel for every Vulkan context of this process. Asynchronous: GLSL is
 * compiled by a glslc child process without blocking the event loop; the kernel can be run once the
 * promise resolves. Of two registrations of one name in progress, the later call wins.
 */
export async function registerKernel(spec: KernelSpec): Promise<void> {
  if (!spec.name) throw new OcellusError('ERR_OCELLUS_VULKAN_KERNEL', 'a custom kernel needs a name');
  if (!Number.isInteger(spec.bindings) || spec.bindings < 0 || spec.bindings > 16) {
    throw new OcellusError('ERR_OCELLUS_VULKAN_KERNEL', `kernel '${spec.name}': bindings must be an integer 0..16`);
  }
  const push = spec.pushConstants ?? 0;
  if (!Number.isInteger(push) || push < 0 || push % 4 !== 0 || push > 128) {
    throw new OcellusError(
      'ERR_OCELLUS_VULKAN_KERNEL',
      `kernel '${spec.name}': pushConstants must be a multiple of 4, at most 128`,
    );
  }
  const ticket = ++serial;
  latest.set(spec.name, ticket);
  let spirv = spec.spirv;
  if (!spirv && spec.glsl !== undefined) spirv = await compileGlsl(spec.name, spec.glsl);
  if (!spirv) throw new OcellusError('ERR_OCELLUS_VULKAN_KERNEL', `kernel '${spec.name}': give spirv or glsl`);
  if (spirv.length < 5 || spirv[0] !== 0x07230203) {
    throw new OcellusError('ERR_OCELLUS_VULKAN_BAD_SPIRV', `kernel '${spec.name}': not SPIR-V (magic 0x07230203)`);
  }
  if (latest.get(spec.name) !== ticket) return; // a later registerKernel() of this name replaced this one
  const { name, bindings, workgroups } = spec;
  registry.set(name, { name, spirv, bindings, pushConstants: push, serial: ticket, workgroups });
}

export function unregisterKernel(name: string): boolean {
  latest.delete(name); // a registration still compiling is dropped as well
  return registry.delete(name);
}

/** @internal */
export function getCustomKernel(name: string): CustomKernel {
  const k = registry.get(name);
  if (!k)
    throw new OcellusError(
      'ERR_OCELLUS_VULKAN_UNKNOWN_KERNEL',
      `no custom kernel '${name}': registerKernel() it first`,
    );
  return k;
}

/** @internal */
export function compileCustomKernel(k: CustomKernel): Uint32Array {
  return k.spirv;
}

/** GLSL to SPIR-V with glslc (the shaderc command line, Debian package `glslc`), in a child process. */
export function compileGlsl(name: string, source: string): Promise<Uint32Array> {
  const args = ['-fshader-stage=compute', '--target-env=vulkan1.1', '-O', '-o', '-', '-'];
  return new Promise((resolve, reject) => {
    const child = execFile('glslc', args, { encoding: 'buffer', maxBuffer: 64 * 2 ** 20 }, (err, out, stderr) => {
      if (!err) {
        const words = new Uint32Array(out.byteLength / 4);
        new Uint8Array(words.buffer).set(out.subarray(0, words.byteLength));
        resolve(words);
      } else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new OcellusError(
            'ERR_OCELLUS_VULKAN_NO_GLSLC',
            `kernel '${name}': glslc is not installed, so GLSL cannot be compiled at run time: ` +
              'apt-get install glslc, or pass spirv',
          ),
        );
      } else {
        const why = stderr.toString().trim() || err.message;
        reject(new OcellusError('ERR_OCELLUS_VULKAN_GLSL', `kernel '${name}': glslc failed:\n${why}`));
      }
    });
    child.stdin?.on('error', () => {}); // EPIPE when glslc is missing or exits early: reported above
    child.stdin?.end(source);
  });
}
