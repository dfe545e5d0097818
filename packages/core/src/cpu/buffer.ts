import type { DeviceBuffer, TensorView } from '../backend/plugin.js';
import { OcellusError } from '../errors.js';
import { type DType, type DTypeArrayMap, dtypeBytes, viewAs } from '../tensor/dtype.js';

/** CPU memory: one ArrayBuffer per buffer (so every typed-array view is aligned). */
export class CpuBuffer implements DeviceBuffer {
  readonly bytes: Uint8Array;
  constructor(byteLength: number) {
    this.bytes = new Uint8Array(byteLength);
  }
  get byteLength(): number {
    return this.bytes.byteLength;
  }
}

/** A typed view of a CPU tensor's elements (no copy). */
export function hostData<D extends DType>(t: TensorView, dtype: D): DTypeArrayMap[D] {
  // Duck-typed rather than `instanceof`: a CPU buffer made by another copy of core in the process
  // (its ESM and CJS builds side by side) is CPU memory all the same.
  const bytes = (t.buffer as { bytes?: unknown }).bytes;
  if (!(bytes instanceof Uint8Array)) {
    throw new OcellusError('ERR_OCELLUS_NOT_CPU', 'a CPU kernel was given a tensor that is not in CPU memory');
  }
  return viewAs(dtype, bytes.subarray(0, t.size * dtypeBytes(dtype)));
}
