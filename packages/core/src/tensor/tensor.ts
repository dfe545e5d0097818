import { DisposedError } from '../errors.js';
import type { DeviceBuffer, TensorView } from '../backend/plugin.js';
import type { OpSchema } from '../ops/schema.js';
import { type DType, type TypedArray, dtypeBytes, viewAs } from './dtype.js';
import { type Shape, formatShape, sizeOf, stridesOf } from './shape.js';

/** What a tensor needs from the device that owns it (implemented by core's Device). */
export interface TensorOwner {
  readonly id: string;
  /** Frees the tensor's buffer and forgets the tensor. */
  release(tensor: Tensor, buffer: DeviceBuffer): void;
  downloadBytes(buffer: DeviceBuffer, byteLength: number): Promise<Uint8Array>;
  /** Runs an op on this owner's device (see Device.run). */
  run<A extends object>(op: string | OpSchema<A>, inputs: readonly Tensor[], attrs?: Partial<A>): Tensor[];
}

/**
 * A dense row-major array on one device. Created by a Device (`device.tensor()`, `device.empty()`)
 * or by an op. Its memory is released by `dispose()` (or `using t = ...`), or when its device closes.
 */
export class Tensor implements TensorView, Disposable {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly size: number;
  readonly owner: TensorOwner;
  #buffer: DeviceBuffer | null;

  /** @internal Use Device.tensor() / Device.empty(). */
  constructor(owner: TensorOwner, buffer: DeviceBuffer, dtype: DType, shape: Shape) {
    this.owner = owner;
    this.#buffer = buffer;
    this.dtype = dtype;
    this.shape = shape;
    this.strides = stridesOf(shape);
    this.size = sizeOf(shape);
  }

  /** The device id this tensor lives on, e.g. 'cpu:0'. */
  get device(): string {
    return this.owner.id;
  }

  get byteLength(): number {
    return this.size * dtypeBytes(this.dtype);
  }

  get disposed(): boolean {
    return this.#buffer === null;
  }

  get buffer(): DeviceBuffer {
    if (this.#buffer === null) {
      throw new DisposedError(`tensor ${this.describe()} was disposed (or its device closed) and cannot be used`);
    }
    return this.#buffer;
  }

  /** Copies the contents to the host, after all work queued before this call. */
  async data<A extends TypedArray = TypedArray>(): Promise<A> {
    const bytes = await this.owner.downloadBytes(this.buffer, this.byteLength);
    return viewAs(this.dtype, bytes) as A;
  }

  dispose(): void {
    const buffer = this.#buffer;
    if (buffer === null) return;
    this.#buffer = null;
    this.owner.release(this, buffer);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** @internal Called by the owner when it closes: the buffer is already gone. */
  detach(): void {
    this.#buffer = null;
  }

  describe(): string {
    return `${this.dtype}${formatShape(this.shape)} on ${this.owner.id}`;
  }

  toString(): string {
    return `Tensor(${this.describe()}${this.disposed ? ', disposed' : ''})`;
  }
}
