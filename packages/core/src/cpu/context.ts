import type { DeviceBuffer, DeviceContext, DeviceInfo, MemoryStats, TensorView } from '../backend/plugin.js';
import { OcellusError, UnsupportedOpError } from '../errors.js';
import { CpuBuffer } from './buffer.js';
import type { CpuKernel } from './kernel.js';

// Freed buffers are kept for reuse up to this many bytes: writing into fresh memory costs a page
// fault per 4 KiB, which for a 1080p image is more than the kernel itself.
const POOL_LIMIT_BYTES = 128 * 2 ** 20;

/** The CPU reference DeviceContext: plain JS memory, kernels run synchronously in run(). */
export class CpuContext implements DeviceContext {
  readonly device: DeviceInfo;
  readonly #kernels: ReadonlyMap<string, CpuKernel>;
  readonly #live = new Set<CpuBuffer>();
  readonly #pool = new Map<number, CpuBuffer[]>();
  #pooledBytes = 0;
  #stats = {
    allocatedBytes: 0,
    peakBytes: 0,
    uploads: 0,
    downloads: 0,
    uploadBytes: 0,
    downloadBytes: 0,
    kernelRuns: 0,
  };
  #closed = false;

  constructor(device: DeviceInfo, kernels: ReadonlyMap<string, CpuKernel>) {
    this.device = device;
    this.#kernels = kernels;
  }

  alloc(byteLength: number): CpuBuffer {
    this.#assertOpen();
    const buf = this.#fromPool(byteLength) ?? new CpuBuffer(byteLength);
    this.#live.add(buf);
    this.#stats.allocatedBytes += byteLength;
    this.#stats.peakBytes = Math.max(this.#stats.peakBytes, this.#stats.allocatedBytes);
    return buf;
  }

  free(buffer: DeviceBuffer): void {
    const buf = this.#own(buffer);
    if (!this.#live.delete(buf)) return;
    this.#stats.allocatedBytes -= buf.byteLength;
    if (this.#closed || this.#pooledBytes + buf.byteLength > POOL_LIMIT_BYTES) return;
    const list = this.#pool.get(buf.byteLength);
    if (list) list.push(buf);
    else this.#pool.set(buf.byteLength, [buf]);
    this.#pooledBytes += buf.byteLength;
  }

  #fromPool(byteLength: number): CpuBuffer | undefined {
    const buf = this.#pool.get(byteLength)?.pop();
    if (buf) this.#pooledBytes -= byteLength;
    return buf;
  }

  upload(source: Uint8Array, target: DeviceBuffer, byteOffset = 0): void {
    this.#assertOpen();
    this.#own(target).bytes.set(source, byteOffset);
    this.#stats.uploads++;
    this.#stats.uploadBytes += source.byteLength;
  }

  async download(
    source: DeviceBuffer,
    byteOffset = 0,
    byteLength = source.byteLength - byteOffset,
  ): Promise<Uint8Array> {
    this.#assertOpen();
    const bytes = this.#own(source).bytes.slice(byteOffset, byteOffset + byteLength);
    this.#stats.downloads++;
    this.#stats.downloadBytes += byteLength;
    return bytes;
  }

  supports(op: string): boolean {
    return this.#kernels.has(op);
  }

  run(
    op: string,
    inputs: readonly TensorView[],
    outputs: readonly TensorView[],
    attrs: Readonly<Record<string, unknown>>,
  ): void {
    this.#assertOpen();
    const kernel = this.#kernels.get(op);
    if (!kernel) throw new UnsupportedOpError(`the CPU reference backend has no kernel for '${op}'`);
    kernel.run(inputs, outputs, attrs);
    this.#stats.kernelRuns++;
  }

  async sync(): Promise<void> {}

  memory(): MemoryStats {
    return { ...this.#stats, pooledBytes: this.#pooledBytes, liveBuffers: this.#live.size };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live.clear();
    this.#pool.clear();
    this.#pooledBytes = 0;
    this.#stats.allocatedBytes = 0;
  }

  #own(buffer: DeviceBuffer): CpuBuffer {
    if (!(buffer instanceof CpuBuffer)) {
      throw new OcellusError(
        'ERR_OCELLUS_FOREIGN_BUFFER',
        `buffer does not belong to ${this.device.backend}:${this.device.index}`,
      );
    }
    return buffer;
  }

  #assertOpen(): void {
    if (this.#closed) throw new OcellusError('ERR_OCELLUS_DISPOSED', 'the CPU context is closed');
  }
}
