import { DeviceMismatchError, DisposedError, OcellusError, UnsupportedOpError } from '../errors.js';
import { processGlobal } from '../global.js';
import { getOp } from '../ops/registry.js';
import { type OpSchema, checkInputs, resolveAttrs } from '../ops/schema.js';
import { type DType, assertDType, dtypeBytes, dtypeOfArray } from '../tensor/dtype.js';
import { type Shape, checkShape, formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor, type TensorOwner } from '../tensor/tensor.js';
import { type DeviceBuffer, type DeviceContext, type DeviceInfo, type MemoryStats, deviceId } from './plugin.js';

export interface SkippedBackend {
  readonly backend: string;
  readonly reason: string;
}

// Devices of every copy of core in the process, so leak counts see them all.
const openDevices = processGlobal(
  'openDevices',
  () => new Set<{ readonly id: string; readonly liveTensors: number }>(),
);

/**
 * What users hold: one opened device. It wraps the backend's DeviceContext, creates tensors,
 * validates every op call against the op set before the backend sees it, and tracks its live tensors
 * so leaks can be tested. `close()` (or `await using`) disposes every tensor still alive on it.
 */
export class Device implements TensorOwner, AsyncDisposable {
  readonly info: DeviceInfo;
  readonly id: string;
  readonly context: DeviceContext;
  /** Backends passed over when this device was selected, with the reason for each. */
  readonly skipped: readonly SkippedBackend[];
  readonly #tensors = new Set<Tensor>();
  #closed = false;

  constructor(context: DeviceContext, skipped: readonly SkippedBackend[] = []) {
    this.context = context;
    this.info = context.device;
    this.id = deviceId(context.device);
    this.skipped = skipped;
    openDevices.add(this);
  }

  get backend(): string {
    return this.info.backend;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Tensors created on this device and not yet disposed. */
  get liveTensors(): number {
    return this.#tensors.size;
  }

  /** A tensor holding a copy of `data`. The dtype defaults to the array's (Uint16Array means float16 bits). */
  tensor(data: ArrayBufferView | readonly number[], shape: Shape, dtype?: DType): Tensor {
    this.#assertOpen();
    const dt =
      dtype === undefined
        ? Array.isArray(data)
          ? 'float32'
          : dtypeOfArray(data as ArrayBufferView)
        : assertDType(dtype);
    const checked = checkShape(shape);
    const bytes = toBytes(data, dt);
    const expected = sizeOf(checked) * dtypeBytes(dt);
    if (bytes.byteLength !== expected) {
      throw new OcellusError(
        'ERR_OCELLUS_DATA_SIZE',
        `data of ${bytes.byteLength} bytes does not fill a ${dt}${formatShape(checked)} tensor (${expected} bytes)`,
      );
    }
    const t = this.empty(dt, checked);
    if (expected > 0) this.context.upload(bytes, t.buffer, 0);
    return t;
  }

  /** A tensor with undefined contents. */
  empty(dtype: DType, shape: Shape): Tensor {
    this.#assertOpen();
    const dt = assertDType(dtype);
    const checked = checkShape(shape);
    const buffer = this.context.alloc(sizeOf(checked) * dtypeBytes(dt));
    const t = new Tensor(this, buffer, dt, checked);
    this.#tensors.add(t);
    return t;
  }

  /**
   * Runs an op of the op set: checks inputs and attributes, applies the shape rule, allocates outputs
   * and hands them to the backend's kernel. On any error the outputs are freed again.
   */
  run<A extends object>(op: string | OpSchema<A>, inputs: readonly Tensor[], attrs?: Partial<A>): Tensor[] {
    this.#assertOpen();
    const schema = typeof op === 'string' ? (getOp(op) as OpSchema<A>) : op;
    for (const t of inputs) {
      if (!(t instanceof Tensor))
        throw new OcellusError('ERR_OCELLUS_NOT_A_TENSOR', `${schema.name}: inputs must be Tensors`);
      if (t.owner !== this) {
        throw new DeviceMismatchError(
          `${schema.name}: input ${t.describe()} lives on another device than ${this.id}; copy it with ` +
            'device.adopt(tensor)',
        );
      }
      t.buffer; // throws DisposedError for a disposed input
    }
    checkInputs(schema, inputs);
    const resolved = resolveAttrs(schema, attrs);
    const specs = schema.outputs(inputs, resolved);
    if (!this.context.supports(schema.name)) {
      throw new UnsupportedOpError(`backend '${this.backend}' (${this.id}) has no kernel for op '${schema.name}'`);
    }
    const outputs: Tensor[] = [];
    try {
      for (const s of specs) outputs.push(this.empty(s.dtype, s.shape));
      this.context.run(schema.name, inputs, outputs, resolved as Record<string, unknown>);
    } catch (err) {
      for (const t of outputs) t.dispose();
      throw err;
    }
    return outputs;
  }

  /** Copies a tensor from any device onto this one. */
  async adopt(tensor: Tensor): Promise<Tensor> {
    const data = await tensor.data();
    return this.tensor(data, tensor.shape, tensor.dtype);
  }

  memory(): MemoryStats {
    return this.context.memory();
  }

  async sync(): Promise<void> {
    this.#assertOpen();
    await this.context.sync();
  }

  /** Disposes every live tensor and closes the backend context. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    openDevices.delete(this);
    for (const t of this.#tensors) t.dispose();
    this.#tensors.clear();
    await this.context.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal TensorOwner */
  release(tensor: Tensor, buffer: DeviceBuffer): void {
    if (!this.#tensors.delete(tensor)) return;
    this.context.free(buffer);
  }

  /** @internal TensorOwner */
  downloadBytes(buffer: DeviceBuffer, byteLength: number): Promise<Uint8Array> {
    this.#assertOpen();
    return this.context.download(buffer, 0, byteLength);
  }

  #assertOpen(): void {
    if (this.#closed) throw new DisposedError(`device ${this.id} is closed; open a new one with openDevice()`);
  }
}

/** Live tensors per open device id, for leak tests: `{ 'cpu:0': 0 }`. */
export function liveTensorCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of openDevices) counts[d.id] = (counts[d.id] ?? 0) + d.liveTensors;
  return counts;
}

const RANGES = { uint8: [0, 255], int8: [-128, 127], int32: [-(2 ** 31), 2 ** 31 - 1], bool: [0, 1] } as const;

function toBytes(data: ArrayBufferView | readonly number[], dtype: DType): Uint8Array {
  if (Array.isArray(data)) {
    const Ctor = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array, int8: Int8Array, bool: Uint8Array }[
      dtype as 'float32'
    ];
    if (!Ctor) {
      throw new OcellusError('ERR_OCELLUS_DATA_SIZE', `pass a typed array for ${dtype} data, not a plain array`);
    }
    const range = RANGES[dtype as keyof typeof RANGES];
    if (range) {
      // a typed array would wrap 300 to 44 and -1 to 255 without a word
      const i = (data as number[]).findIndex((v) => !Number.isInteger(v) || v < range[0] || v > range[1]);
      if (i >= 0) {
        throw new OcellusError(
          'ERR_OCELLUS_DATA_RANGE',
          `value ${(data as number[])[i]} at index ${i} does not fit ${dtype} (whole numbers from ` +
            `${range[0]} to ${range[1]})`,
        );
      }
    }
    const typed = new Ctor(data as number[]);
    return new Uint8Array(typed.buffer);
  }
  const view = data as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
