import type { DType, TypedArray } from '../tensor/dtype.js';

/** How close a backend's output must be to the CPU reference's. */
export interface Tolerance {
  /** Absolute difference allowed per element. */
  readonly atol: number;
  /** Relative difference allowed per element (times |reference|). */
  readonly rtol?: number;
  /** Fraction of elements allowed outside atol/rtol (0 = none). For ops with data-dependent branches (Canny). */
  readonly mismatchFraction?: number;
}

export interface HostTensor {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** One conformance case: an op, its inputs (made on the host, deterministic) and attributes. */
export interface ConformanceCase {
  readonly op: string;
  readonly name: string;
  readonly inputs: () => HostTensor[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly tolerance: Tolerance;
}

/** Deterministic pseudo-random uint8 HWC image: smooth gradients, blocks and noise, so every op has edges. */
export function testImage(height: number, width: number, channels: number, seed = 1): HostTensor {
  const data = new Uint8Array(height * width * channels);
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const block = ((x >> 3) + (y >> 3)) & 1 ? 60 : 0;
      const disk = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2 ? 90 : 0;
      for (let c = 0; c < channels; c++) {
        const grad = ((x * (c + 1) * 255) / Math.max(1, width - 1) + (y * 128) / Math.max(1, height - 1)) % 256;
        const v = 0.4 * grad + block + disk + rand() * 24;
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, shape: [height, width, channels], dtype: 'uint8' };
}
