/**
 * Freed GPUBuffers kept for reuse, by exact size, up to a byte limit: creating a buffer costs an allocation
 * and (in Dawn) zero-initialisation, more than most of our kernels. Reusing one inside the same command
 * stream is safe: commands run in submission order on the one queue.
 */
export class BufferPool {
  readonly #bySize = new Map<number, GPUBuffer[]>();
  #bytes = 0;

  constructor(
    readonly limitBytes: number,
    readonly destroy: (b: GPUBuffer) => void,
  ) {}

  get bytes(): number {
    return this.#bytes;
  }

  take(size: number): GPUBuffer | undefined {
    const b = this.#bySize.get(size)?.pop();
    if (b) this.#bytes -= size;
    return b;
  }

  /** Keeps the buffer, or destroys it when the pool is full. */
  put(b: GPUBuffer): void {
    if (this.#bytes + b.size > this.limitBytes) {
      this.destroy(b);
      return;
    }
    const list = this.#bySize.get(b.size);
    if (list) list.push(b);
    else this.#bySize.set(b.size, [b]);
    this.#bytes += b.size;
  }

  drain(): void {
    for (const list of this.#bySize.values()) for (const b of list) this.destroy(b);
    this.#bySize.clear();
    this.#bytes = 0;
  }
}
