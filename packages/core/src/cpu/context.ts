import type { DeviceBuffer, DeviceContext, DeviceInfo, MemoryStats, TensorView } from '../backend/plugin.js';
import { OcellusError, UnsupportedOpError } from '../errors.js';
import { CpuBuffer } from './buffer.js';
import type { CpuKernel } from './kernel.js';

/** The CPU reference DeviceContext: plain JS memory, kernels run synchronously in run(). */
export class CpuContext implements DeviceContext {
  readonly device: DeviceInfo;
  readonly #kernels: ReadonlyMap<string, CpuKernel>;
  readonly #live = new Set<CpuBuffer>();
  #stats = { allocatedBytes: 0, peakBytes: 0, uploads: 0, downloads: 0, uploadBytes: 0, downloadBytes: 0, kernelRuns: 0 };
  #closed = false;

  constructor(device: DeviceInfo, kernels: ReadonlyMap<string, CpuKernel>) {
    this.device = device;
    this.#kernels = kernels;
  }

  alloc(byteLength: number): CpuBuffer {
    this.#assertOpen();
    const buf = new CpuBuffer(byteLength);
    this.#live.add(buf);
    this.#stats.allocatedBytes += byteLength;
    this.#stats.peakBytes = Math.max(this.#stats.peakBytes, this.#stats.allocatedBytes);
    return buf;
  }

  free(buffer: DeviceBuffer): void {
    if (this.#live.delete(this.#own(buffer))) this.#stats.allocatedBytes -= buffer.byteLength;
  }

  upload(source: Uint8Array, target: DeviceBuffer, byteOffset = 0): void {
    this.#assertOpen();
    this.#own(target).bytes.set(source, byteOffset);
    this.#stats.uploads++;
    this.#stats.uploadBytes += source.byteLength;
  }

  async download(source: DeviceBuffer, byteOffset = 0, byteLength = source.byteLength - byteOffset): Promise<Uint8Array> {
    this.#assertOpen();
    const bytes = this.#own(source).bytes.slice(byteOffset, byteOffset + byteLength);
    this.#stats.downloads++;
    this.#stats.downloadBytes += byteLength;
    return bytes;
  }

  supports(op: string): boolean {
    return this.#kernels.has(op);
  }

  run(op: string, inputs: readonly TensorView[], outputs: readonly TensorView[], attrs: Readonly<Record<string, unknown>>): void {
    this.#assertOpen();
    const kernel = this.#kernels.get(op);
    if (!kernel) throw new UnsupportedOpError(`the CPU reference backend has no kernel for '${op}'`);
    kernel.run(inputs, outputs, attrs);
    this.#stats.kernelRuns++;
  }

  async sync(): Promise<void> {}

  memory(): MemoryStats {
    return { ...this.#stats, pooledBytes: 0, liveBuffers: this.#live.size };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live.clear();
    this.#stats.allocatedBytes = 0;
  }

  #own(buffer: DeviceBuffer): CpuBuffer {
    if (!(buffer instanceof CpuBuffer)) {
      throw new OcellusError('ERR_OCELLUS_FOREIGN_BUFFER', `buffer does not belong to ${this.device.backend}:${this.device.index}`);
    }
    return buffer;
  }

  #assertOpen(): void {
    if (this.#closed) throw new OcellusError('ERR_OCELLUS_DISPOSED', 'the CPU context is closed');
  }
}
