import { DTypeError } from '../errors.js';

/** The element types a tensor can hold. float16 is stored as raw IEEE-754 half bits in a Uint16Array. */
export type DType = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

export type TypedArray = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** The typed array each dtype is read into on the host. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

interface DTypeInfo {
  readonly bytes: number;
  readonly array: {
    new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
    new (length: number): TypedArray;
  };
}

const INFO: Record<DType, DTypeInfo> = {
  float32: { bytes: 4, array: Float32Array },
  float16: { bytes: 2, array: Uint16Array },
  int8: { bytes: 1, array: Int8Array },
  uint8: { bytes: 1, array: Uint8Array },
  int32: { bytes: 4, array: Int32Array },
  int64: { bytes: 8, array: BigInt64Array },
  bool: { bytes: 1, array: Uint8Array },
};

export const DTYPES: readonly DType[] = Object.keys(INFO) as DType[];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(INFO, value);
}

export function assertDType(value: unknown, what = 'dtype'): DType {
  if (!isDType(value)) {
    throw new DTypeError(`${what} ${JSON.stringify(value)} is not a dtype: use one of ${DTYPES.join(', ')}`);
  }
  return value;
}

/** Bytes per element. */
export function dtypeBytes(dtype: DType): number {
  return INFO[dtype].bytes;
}

/** A typed-array view of `bytes` as elements of `dtype` (no copy; the byte offset must be aligned). */
export function viewAs<D extends DType>(dtype: D, bytes: Uint8Array): DTypeArrayMap[D] {
  const { bytes: size, array } = INFO[dtype];
  if (bytes.byteOffset % size !== 0) {
    // Unaligned views are not allowed by typed arrays: copy once to an aligned buffer.
    bytes = bytes.slice();
  }
  return new array(bytes.buffer, bytes.byteOffset, bytes.byteLength / size) as DTypeArrayMap[D];
}

/** The dtype a typed array most naturally holds (Uint16Array is taken as float16 bits). */
export function dtypeOfArray(data: ArrayBufferView): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Uint16Array) return 'float16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  throw new DTypeError(
    `cannot infer a dtype from ${data.constructor.name}: pass one of Float32Array, Uint16Array (float16), ` +
      'Int8Array, Uint8Array, Int32Array, BigInt64Array, or give the dtype',
  );
}
