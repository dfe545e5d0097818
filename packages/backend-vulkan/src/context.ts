/**
 * VulkanContext: core's DeviceContext on one Vulkan device. Buffers are ids of native VkBuffers; run()
 * records dispatches into the context's current command buffer (no host round trip between ops), and
 * download()/sync() submit it and wait on its fence off the JS thread.
 */
import {
  DeviceMismatchError,
  type DeviceBuffer,
  type DeviceContext,
  type DeviceInfo,
  DisposedError,
  type MemoryStats,
  OcellusError,
  type TensorView,
  gpuGrid,
  recordGpuOp,
} from '@ocellus/core';
import type { NativeContext, NativeMemory } from './binding.js';
import { compileCustomKernel, type CustomKernel, getCustomKernel } from './custom.js';
import { KERNELS, type Recorder } from './kernels.js';

/** A device buffer of one VulkanContext (a native VkBuffer id). */
export class VulkanBuffer implements DeviceBuffer {
  constructor(
    readonly context: VulkanContext,
    readonly id: number,
    readonly byteLength: number,
  ) {}
}

// A buffer object collected without free() (a tensor dropped without dispose()) returns its memory to
// the pool; the context itself is a napi object whose finalizer destroys every Vulkan object it holds.
const collected = new FinalizationRegistry<{ context: VulkanContext; id: number }>(({ context, id }) => {
  context.freeId(id);
});

export class VulkanContext implements DeviceContext {
  readonly device: DeviceInfo;
  readonly #native: NativeContext;
  readonly #maxGroups: number;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #kernels = new Map<string, number>();
  #closed = false;
  #draining = false;
  readonly #recorder: Recorder;
  #temps: number[] = [];

  constructor(native: NativeContext, device: DeviceInfo) {
    this.#native = native;
    this.device = device;
    this.#maxGroups = 65535; // maxComputeWorkGroupCount is at least 65535 on every axis (the spec minimum)
    this.#recorder = {
      buffer: (t) => this.#own(t.buffer).id,
      dispatch: (shader, params, buffers, invocations) => {
        const k = this.#builtin(shader);
        const [x, y] = gpuGrid(invocations, this.#maxGroups);
        native.dispatch(k, new Uint8Array(params.buffer, params.byteOffset, params.byteLength), buffers, null, x, y, 1);
      },
      copy: (src, dst, byteLength) => native.copy(src, 0, dst, 0, byteLength),
      fill: (buffer, byteLength, word) => native.fill(buffer, 0, byteLength, word),
      temp: (byteLength) => {
        const id = native.alloc(byteLength);
        this.#temps.push(id);
        return id;
      },
    };
  }

  /** The native context, for tests and tools (object counts, raw dispatches). */
  get native(): NativeContext {
    return this.#native;
  }

  get closed(): boolean {
    return this.#closed;
  }

  alloc(byteLength: number): VulkanBuffer {
    this.#assertOpen();
    const buffer = new VulkanBuffer(this, this.#native.alloc(byteLength), byteLength);
    collected.register(buffer, { context: this, id: buffer.id }, buffer);
    return buffer;
  }

  free(buffer: DeviceBuffer): void {
    const b = this.#own(buffer);
    collected.unregister(b);
    this.freeId(b.id);
  }

  /** @internal */
  freeId(id: number): void {
    if (!this.#closed) this.#native.free(id);
  }

  upload(source: Uint8Array, target: DeviceBuffer, byteOffset = 0): void {
    this.#assertOpen();
    this.#native.upload(this.#own(target).id, byteOffset, source);
    this.#pump();
  }

  download(source: DeviceBuffer, byteOffset = 0, byteLength = source.byteLength - byteOffset): Promise<Uint8Array> {
    this.#assertOpen();
    return this.#track(this.#native.download(this.#own(source).id, byteOffset, byteLength));
  }

  supports(op: string): boolean {
    return KERNELS.has(op);
  }

  run(
    op: string,
    inputs: readonly TensorView[],
    outputs: readonly TensorView[],
    attrs: Readonly<Record<string, unknown>>,
  ): void {
    this.#assertOpen();
    recordGpuOp(KERNELS, 'Vulkan', this.#recorder, op, inputs, outputs, attrs, () => {
      // Scratch buffers live only inside this op: freed right after recording, which is safe because
      // any later reuse of the memory is ordered after these commands by the per-command barrier.
      for (const id of this.#temps) this.#native.free(id);
      this.#temps = [];
    });
    this.#native.countKernelRun();
    this.#pump();
  }

  /**
   * Runs a custom kernel registered with `registerKernel()`: bindings are the inputs then the outputs
   * (storage buffers 0..n-1 of set 0), `push` the push-constant bytes, the grid from its `workgroups`.
   */
  runCustom(name: string, inputs: readonly TensorView[], outputs: readonly TensorView[], push?: ArrayBufferView): void {
    this.#assertOpen();
    const spec = getCustomKernel(name);
    const buffers = [...inputs, ...outputs].map((t) => this.#own(t.buffer).id);
    if (buffers.length !== spec.bindings) {
      throw new OcellusError(
        'ERR_OCELLUS_VULKAN_KERNEL',
        `kernel '${name}' declares ${spec.bindings} bindings, got ${inputs.length} inputs + ${outputs.length} outputs`,
      );
    }
    const pushBytes = push ? new Uint8Array(push.buffer, push.byteOffset, push.byteLength) : null;
    if ((pushBytes?.byteLength ?? 0) !== spec.pushConstants) {
      throw new OcellusError(
        'ERR_OCELLUS_VULKAN_KERNEL',
        `kernel '${name}' takes ${spec.pushConstants} bytes of push constants, got ${pushBytes?.byteLength ?? 0}`,
      );
    }
    const [x, y, z] = spec.workgroups(inputs, outputs);
    this.#native.dispatch(this.#custom(spec), null, buffers, pushBytes, x, y ?? 1, z ?? 1);
    this.#native.countKernelRun();
    this.#pump();
  }

  /**
   * Submits the commands recorded so far without waiting (download and sync submit on their own). With 8
   * batches in flight the submit is deferred until one completes (waited for on a worker thread).
   */
  flush(): void {
    this.#assertOpen();
    this.#native.flush();
    this.#pump();
  }

  async sync(): Promise<void> {
    this.#assertOpen();
    await this.#track(this.#native.sync());
  }

  memory(): MemoryStats & Pick<NativeMemory, 'submits' | 'deviceMemoryBytes' | 'hostStagingBytes'> {
    return this.#native.memory();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Pending downloads hold fences that close() destroys: let them finish first.
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
    await this.#native.close(); // waits for the device off the JS thread
  }

  // A batch deferred because 8 are in flight is submitted when the oldest completes: the native side waits
  // for it on a worker thread (the JS thread never waits on the device); one drain at a time.
  #pump(): void {
    if (this.#draining || this.#closed) return;
    const p = this.#native.drain();
    if (!p) return;
    this.#draining = true;
    const done = () => {
      this.#draining = false;
      this.#pump();
    };
    this.#track(p).then(done, done);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    const done = () => this.#pending.delete(p);
    p.then(done, done);
    return p;
  }

  #builtin(shader: string): number {
    let k = this.#kernels.get(shader);
    if (k === undefined) {
      k = this.#native.builtinKernel(shader);
      this.#kernels.set(shader, k);
    }
    return k;
  }

  #custom(spec: CustomKernel): number {
    const key = `custom:${spec.name}:${spec.serial}`;
    let k = this.#kernels.get(key);
    if (k === undefined) {
      k = this.#native.createKernel(key, compileCustomKernel(spec), spec.bindings, spec.pushConstants);
      this.#kernels.set(key, k);
    }
    return k;
  }

  #own(buffer: DeviceBuffer): VulkanBuffer {
    if (!(buffer instanceof VulkanBuffer) || buffer.context !== this) {
      throw new DeviceMismatchError(
        'a buffer of ' +
          (buffer instanceof VulkanBuffer
            ? buffer.context.device.backend + ':' + buffer.context.device.index + ' (another context)'
            : 'another backend') +
          ` was given to vulkan:${this.device.index}; copy it with device.adopt(tensor)`,
      );
    }
    return buffer;
  }

  #assertOpen(): void {
    if (this.#closed) throw new DisposedError(`the Vulkan context of vulkan:${this.device.index} is closed`);
  }
}
