/**
 * WebGpuContext: core's DeviceContext on one GPUDevice. run() records compute passes into the context's
 * current command encoder (no host round trip between ops); download() and sync() submit it and wait.
 * Uploads use queue.writeBuffer, which the queue runs before anything submitted later: so the encoder is
 * submitted first whenever it still reads or writes the target (a pooled buffer being reused).
 */
import {
  DeviceMismatchError,
  type DeviceBuffer,
  type DeviceContext,
  type DeviceInfo,
  DisposedError,
  type MemoryStats,
  OcellusError,
  ShapeError,
  type TensorView,
  gpuGrid,
  recordGpuOp,
} from '@ocellus/core';
import { compileWgsl } from './compile.js';
import { getCustomKernel } from './custom.js';
import { ALIGNMENT, BUFFER_TOO_LARGE, DeviceLostError, KERNEL_ERROR } from './errors.js';
import type { GpuHandle } from './gpu-source.js';
import { MAP_READ, USAGE, words4 } from './gpu-constants.js';
import { KERNELS, type Recorder } from './kernels.js';
import { countObject } from './objects.js';
import { BufferPool } from './pool.js';
import { SHADERS, type ShaderName } from './shaders/index.js';

/** A device buffer of one WebGpuContext: a GPUBuffer of `byteLength` rounded up to whole words. */
export class WebGpuBuffer implements DeviceBuffer {
  constructor(
    readonly context: WebGpuContext,
    readonly gpu: GPUBuffer,
    readonly byteLength: number,
  ) {}
}

export interface WebGpuMemory extends MemoryStats {
  /** Command buffers submitted to the queue. */
  readonly submits: number;
  /** Bytes of storage buffers this context holds (live and pooled). */
  readonly deviceMemoryBytes: number;
  /** Bytes of mappable read-back buffers this context holds. */
  readonly hostStagingBytes: number;
}

export interface LostInfo {
  readonly reason: string;
  readonly message: string;
}

// A buffer object collected without free() (a tensor dropped without dispose()) returns its GPUBuffer to
// the pool. The held value must not reference the WebGpuBuffer itself.
const collected = new FinalizationRegistry<{ context: WebGpuContext; gpu: GPUBuffer; byteLength: number }>((h) =>
  h.context.release(h.gpu, h.byteLength),
);

const POOL_BYTES = 128 * 2 ** 20; // as the CPU and Vulkan backends
const STAGING_POOL_BYTES = 32 * 2 ** 20;
const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

export class WebGpuContext implements DeviceContext {
  readonly device: DeviceInfo;
  /** The GPUDevice (tests destroy it to simulate a lost device). */
  readonly gpuDevice: GPUDevice;
  /** Resolves when the device is lost while the context is open (never after close()). */
  readonly lost: Promise<LostInfo>;
  /** Uncaptured WebGPU errors (validation, out-of-memory) seen on this device: a bug if not empty. */
  readonly errors: string[] = [];
  readonly #handle: GpuHandle;
  readonly #maxBuffer: number;
  readonly #maxGroups: number;
  readonly #pool = new BufferPool(POOL_BYTES, (b) => this.#destroy(b));
  readonly #staging = new BufferPool(STAGING_POOL_BYTES, (b) => this.#destroy(b));
  readonly #live = new Set<GPUBuffer>();
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #recorder: Recorder;
  // Removed at close: Dawn keeps a destroyed device's listeners (and so this context) alive otherwise.
  readonly #onError = (e: Event) => {
    if (this.errors.length < 50) this.errors.push((e as GPUUncapturedErrorEvent).error.message);
  };
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  /** Buffers the unsubmitted encoder uses, and the per-dispatch parameter buffers to destroy after submit. */
  readonly #used = new Set<GPUBuffer>();
  #transient: GPUBuffer[] = [];
  #temps: GPUBuffer[] = [];
  #stats = {
    allocatedBytes: 0,
    peakBytes: 0,
    uploads: 0,
    downloads: 0,
    uploadBytes: 0,
    downloadBytes: 0,
    kernelRuns: 0,
    submits: 0,
  };
  #closed = false;
  #closing: Promise<void> | undefined;
  #lost: LostInfo | undefined;

  constructor(gpuDevice: GPUDevice, info: DeviceInfo, handle: GpuHandle) {
    this.gpuDevice = gpuDevice;
    this.device = info;
    this.#handle = handle;
    countObject('devices', 1);
    const limits = gpuDevice.limits;
    this.#maxBuffer = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    this.#maxGroups = limits.maxComputeWorkgroupsPerDimension;
    this.lost = new Promise<LostInfo>((resolve) => {
      gpuDevice.lost.then((l) => {
        if (this.#closed) return; // our own destroy() at close
        this.#lost = { reason: l.reason, message: l.message };
        console.warn(`[ocellus webgpu] device ${this.#id} was lost (${l.reason}): ${l.message}`);
        resolve(this.#lost);
      });
    });
    gpuDevice.addEventListener('uncapturederror', this.#onError);
    this.#recorder = {
      buffer: (t) => this.#own(t.buffer).gpu,
      dispatch: (shader, params, buffers, invocations) => {
        const [x, y] = gpuGrid(invocations, this.#maxGroups);
        this.#dispatch(this.#builtin(shader), [this.#params(params), ...buffers], x, y, 1);
      },
      copy: (src, dst, byteLength) => {
        this.#endPass();
        this.#use(src, dst);
        this.#enc().copyBufferToBuffer(src, 0, dst, 0, words4(byteLength));
      },
      fill: (buffer, byteLength, word) => {
        // clearBuffer writes zeros only; the plans fill with 0 here (the WGSL Canny kernels' "not an edge").
        if (word !== 0)
          throw new OcellusError(
            'ERR_OCELLUS_INTERNAL',
            `WebGPU context: fill with ${word} is not supported (zeros only)`,
          );
        this.#endPass();
        this.#use(buffer);
        this.#enc().clearBuffer(buffer, 0, words4(byteLength));
      },
      temp: (byteLength) => {
        const b = this.#take(words4(Math.max(4, byteLength)));
        this.#temps.push(b);
        return b;
      },
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Why the device was lost, once it has been. */
  get lostInfo(): LostInfo | undefined {
    return this.#lost;
  }

  /** Features of the GPUDevice (e.g. 'shader-f16' where the adapter has it). */
  get features(): ReadonlySet<string> {
    return this.gpuDevice.features as unknown as ReadonlySet<string>;
  }

  alloc(byteLength: number): WebGpuBuffer {
    this.#assertUsable();
    const size = words4(Math.max(4, byteLength));
    if (size > this.#maxBuffer) {
      throw new OcellusError(
        BUFFER_TOO_LARGE,
        `a buffer of ${byteLength} bytes is more than ${this.#id} allows ` +
          `(maxBufferSize/maxStorageBufferBindingSize ${this.#maxBuffer} bytes): use a smaller image or ` +
          'split it',
      );
    }
    const gpu = this.#take(size);
    this.#live.add(gpu);
    this.#stats.allocatedBytes += byteLength;
    this.#stats.peakBytes = Math.max(this.#stats.peakBytes, this.#stats.allocatedBytes);
    const buffer = new WebGpuBuffer(this, gpu, byteLength);
    collected.register(buffer, { context: this, gpu, byteLength }, buffer);
    return buffer;
  }

  free(buffer: DeviceBuffer): void {
    const b = this.#own(buffer);
    collected.unregister(b);
    this.release(b.gpu, b.byteLength);
  }

  /** @internal Returns a tensor's GPUBuffer to the pool (or to nothing once closed). */
  release(gpu: GPUBuffer, byteLength: number): void {
    if (!this.#live.delete(gpu)) return;
    this.#stats.allocatedBytes -= byteLength;
    this.#pool.put(gpu);
  }

  upload(source: Uint8Array, target: DeviceBuffer, byteOffset = 0): void {
    this.#assertUsable();
    const b = this.#own(target);
    const end = byteOffset + source.byteLength;
    if (byteOffset < 0 || end > b.byteLength) {
      throw new ShapeError(
        `upload of ${source.byteLength} bytes at ${byteOffset} does not fit a buffer of ${b.byteLength} bytes`,
      );
    }
    if (byteOffset % 4 !== 0 || (end % 4 !== 0 && end !== b.byteLength)) {
      throw new OcellusError(
        ALIGNMENT,
        'WebGPU writes whole 4-byte words: upload at a byte offset that is a multiple of 4, ending on a ' +
          `word or at the end of the buffer (got ${byteOffset}..${end} of ${b.byteLength})`,
      );
    }
    if (source.byteLength === 0) return;
    // Commands recorded so far may still read this buffer's old contents (a pooled buffer reused).
    if (this.#used.has(b.gpu)) this.#submit();
    let data = source;
    if (source.byteLength % 4 !== 0) {
      data = new Uint8Array(words4(source.byteLength)); // the tail pads into the buffer's own slack
      data.set(source);
    }
    this.gpuDevice.queue.writeBuffer(b.gpu, byteOffset, data as Uint8Array<ArrayBuffer>, 0, data.byteLength);
    this.#stats.uploads++;
    this.#stats.uploadBytes += source.byteLength;
  }

  download(source: DeviceBuffer, byteOffset = 0, byteLength = source.byteLength - byteOffset): Promise<Uint8Array> {
    this.#assertUsable();
    const b = this.#own(source);
    if (byteOffset < 0 || byteLength < 0 || byteOffset + byteLength > b.byteLength) {
      throw new ShapeError(
        `download of ${byteLength} bytes at ${byteOffset} is outside a buffer of ${b.byteLength} bytes`,
      );
    }
    this.#stats.downloads++;
    this.#stats.downloadBytes += byteLength;
    if (byteLength === 0) return Promise.resolve(new Uint8Array(0));
    // Copy whole words around the range (the buffer is padded to words), then cut the range out.
    const start = byteOffset - (byteOffset % 4);
    const size = words4(byteOffset + byteLength) - start;
    const staging = this.#staging.take(size) ?? this.#create(size, USAGE.MAP_READ | USAGE.COPY_DST);
    this.#endPass();
    this.#use(b.gpu);
    this.#enc().copyBufferToBuffer(b.gpu, start, staging, 0, size);
    this.#submit();
    return this.#track(
      (async () => {
        try {
          await staging.mapAsync(MAP_READ, 0, size);
        } catch (err) {
          this.#destroy(staging);
          throw (
            this.#lostError() ??
            new OcellusError(
              'ERR_OCELLUS_WEBGPU_DOWNLOAD',
              `download from ${this.#id} failed: ${(err as Error).message}`,
            )
          );
        }
        const out = new Uint8Array(staging.getMappedRange(0, size), byteOffset - start, byteLength).slice();
        staging.unmap();
        if (this.#closed) this.#destroy(staging);
        else this.#staging.put(staging);
        return out;
      })(),
    );
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
    this.#assertUsable();
    recordGpuOp(KERNELS, 'WebGPU', this.#recorder, op, inputs, outputs, attrs, () => {
      // Temporaries go back to the pool at once: later commands that reuse them run after these.
      for (const t of this.#temps) this.#pool.put(t);
      this.#temps = [];
    });
    this.#stats.kernelRuns++;
  }

  /**
   * Compiles a custom kernel registered with `registerKernel()` on this device. Rejects with
   * WgslCompileError carrying the compiler's messages when the WGSL is invalid.
   */
  async compileKernel(name: string): Promise<void> {
    this.#assertUsable();
    const spec = getCustomKernel(name);
    const key = `custom:${spec.name}:${spec.serial}`;
    if (this.#pipelines.has(key)) return;
    const pipeline = await this.#track(
      compileWgsl(this.gpuDevice, `kernel '${spec.name}'`, spec.wgsl, spec.entryPoint),
    );
    this.#pipelines.set(key, pipeline);
  }

  /**
   * Runs a compiled custom kernel: storage bindings are the inputs then the outputs, `uniforms` the bytes
   * of its uniform block (binding `bindings`), the grid from its `workgroups`.
   */
  runCustom(
    name: string,
    inputs: readonly TensorView[],
    outputs: readonly TensorView[],
    uniforms?: ArrayBufferView,
  ): void {
    this.#assertUsable();
    const spec = getCustomKernel(name);
    const pipeline = this.#pipelines.get(`custom:${spec.name}:${spec.serial}`);
    if (!pipeline) {
      throw new OcellusError(
        KERNEL_ERROR,
        `kernel '${name}' is not compiled on ${this.#id}: await compileKernel('${name}') first`,
      );
    }
    const buffers = [...inputs, ...outputs].map((t) => this.#own(t.buffer).gpu);
    if (buffers.length !== spec.bindings) {
      throw new OcellusError(
        KERNEL_ERROR,
        `kernel '${name}' declares ${spec.bindings} bindings, got ${inputs.length} inputs + ${outputs.length} outputs`,
      );
    }
    const bytes = uniforms
      ? new Uint8Array(uniforms.buffer, uniforms.byteOffset, uniforms.byteLength)
      : new Uint8Array(0);
    if (bytes.byteLength !== spec.uniformBytes) {
      throw new OcellusError(
        KERNEL_ERROR,
        `kernel '${name}' takes ${spec.uniformBytes} bytes of uniforms, got ${bytes.byteLength}`,
      );
    }
    const [x, y, z] = spec.workgroups(inputs, outputs);
    for (const n of [x, y ?? 1, z ?? 1]) {
      if (!Number.isInteger(n) || n < 0 || n > this.#maxGroups) {
        throw new OcellusError(
          KERNEL_ERROR,
          `kernel '${name}': workgroups must be integers 0..${this.#maxGroups}, got [${x}, ${y}, ${z}]`,
        );
      }
    }
    if (spec.uniformBytes) buffers.push(this.#transientBuffer(bytes, USAGE.UNIFORM, 16));
    this.#dispatch(pipeline, buffers, x, y ?? 1, z ?? 1);
    this.#stats.kernelRuns++;
  }

  /** Submits the commands recorded so far without waiting (download and sync submit on their own). */
  flush(): void {
    this.#assertUsable();
    this.#submit();
  }

  async sync(): Promise<void> {
    this.#assertUsable();
    this.#submit();
    await this.#track(this.gpuDevice.queue.onSubmittedWorkDone());
    const lost = this.#lostError();
    if (lost) throw lost;
  }

  memory(): WebGpuMemory {
    let device = this.#pool.bytes;
    for (const b of this.#live) device += b.size;
    return {
      ...this.#stats,
      pooledBytes: this.#pool.bytes,
      liveBuffers: this.#live.size,
      deviceMemoryBytes: device,
      hostStagingBytes: this.#staging.bytes,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Pending downloads and compiles use the device: let them finish first.
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
    if (!this.#lost) {
      this.#submit();
      await this.gpuDevice.queue.onSubmittedWorkDone().catch(() => {});
    }
    this.#closed = true;
    this.#encoder = this.#pass = undefined;
    this.#used.clear();
    for (const b of this.#transient) this.#destroy(b);
    this.#transient = [];
    for (const b of this.#live) this.#destroy(b);
    this.#live.clear();
    this.#pool.drain();
    this.#staging.drain();
    this.#pipelines.clear();
    this.#stats.allocatedBytes = 0;
    this.gpuDevice.removeEventListener('uncapturederror', this.#onError);
    this.gpuDevice.destroy();
    countObject('devices', -1);
    this.#handle.release(); // the last context to close lets the Dawn instance go, so Node can exit
  }

  get #id(): string {
    return `${this.device.backend}:${this.device.index}`;
  }

  #builtin(shader: ShaderName): GPUComputePipeline {
    let p = this.#pipelines.get(shader);
    if (!p) {
      // Built-in WGSL is tested on every change: an error here lands in `errors` (uncapturederror).
      const module = this.gpuDevice.createShaderModule({ label: shader, code: SHADERS[shader] });
      p = this.gpuDevice.createComputePipeline({
        label: shader,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.#pipelines.set(shader, p);
    }
    return p;
  }

  #dispatch(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], x: number, y: number, z: number): void {
    const bindGroup = this.gpuDevice.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.#use(...buffers);
    this.#pass ??= this.#enc().beginComputePass();
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, bindGroup);
    if (x > 0 && y > 0 && z > 0) this.#pass.dispatchWorkgroups(x, y, z);
  }

  /** A parameter block for one dispatch: a fresh buffer filled at creation, destroyed after submit. */
  #params(params: Int32Array | Uint32Array): GPUBuffer {
    return this.#transientBuffer(new Uint8Array(params.buffer, params.byteOffset, params.byteLength), USAGE.STORAGE, 4);
  }

  #transientBuffer(bytes: Uint8Array, usage: number, align: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes.byteLength / align) * align);
    const b = this.gpuDevice.createBuffer({ size, usage, mappedAtCreation: true });
    countObject('buffers', 1);
    new Uint8Array(b.getMappedRange()).set(bytes);
    b.unmap();
    this.#transient.push(b);
    return b;
  }

  #enc(): GPUCommandEncoder {
    this.#encoder ??= this.gpuDevice.createCommandEncoder();
    return this.#encoder;
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = undefined;
  }

  #use(...buffers: GPUBuffer[]): void {
    for (const b of buffers) this.#used.add(b);
  }

  #submit(): void {
    if (!this.#encoder) return;
    this.#endPass();
    this.gpuDevice.queue.submit([this.#encoder.finish()]);
    this.#encoder = undefined;
    this.#used.clear();
    this.#stats.submits++;
    // Destroying a buffer after submitting work that uses it is allowed: the work still completes.
    for (const b of this.#transient) this.#destroy(b);
    this.#transient = [];
  }

  #take(size: number): GPUBuffer {
    return this.#pool.take(size) ?? this.#create(size, STORAGE_USAGE);
  }

  #create(size: number, usage: number): GPUBuffer {
    const b = this.gpuDevice.createBuffer({ size, usage });
    countObject('buffers', 1);
    return b;
  }

  #destroy(b: GPUBuffer): void {
    b.destroy();
    countObject('buffers', -1);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    const done = () => this.#pending.delete(p);
    p.then(done, done);
    return p;
  }

  /** A 1D count of invocations as a 2D grid of workgroups (x at most maxComputeWorkgroupsPerDimension). */
  #own(buffer: DeviceBuffer): WebGpuBuffer {
    if (!(buffer instanceof WebGpuBuffer) || buffer.context !== this) {
      const whose = buffer instanceof WebGpuBuffer ? `${buffer.context.#id} (another context)` : 'another backend';
      throw new DeviceMismatchError(`a buffer of ${whose} was given to ${this.#id}; copy it with device.adopt(tensor)`);
    }
    return buffer;
  }

  #lostError(): DeviceLostError | undefined {
    if (!this.#lost) return undefined;
    return new DeviceLostError(
      `the WebGPU device ${this.#id} was lost (${this.#lost.reason}: ${this.#lost.message}): close it and ` +
        `open a new one with openDevice('webgpu')`,
    );
  }

  #assertUsable(): void {
    if (this.#closed) throw new DisposedError(`the WebGPU context of ${this.#id} is closed`);
    const lost = this.#lostError();
    if (lost) throw lost;
  }
}
