import { float16ToFloat32Array } from '../tensor/float16.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { Tolerance } from './case.js';

export interface Comparison {
  readonly ok: boolean;
  readonly total: number;
  readonly mismatches: number;
  readonly maxDiff: number;
  /** Index and values of the first element outside tolerance, for the failure message. */
  readonly first?: { index: number; expected: number; actual: number };
}

/** Element-wise comparison with a tolerance; float16 bits are decoded first. Shapes are checked by the caller. */
export function compareArrays(expected: TypedArray, actual: TypedArray, dtype: DType, tol: Tolerance): Comparison {
  const e = asNumbers(expected, dtype);
  const a = asNumbers(actual, dtype);
  if (e.length !== a.length)
    return { ok: false, total: e.length, mismatches: e.length, maxDiff: Number.POSITIVE_INFINITY };
  let mismatches = 0;
  let maxDiff = 0;
  let first: Comparison['first'];
  const rtol = tol.rtol ?? 0;
  for (let i = 0; i < e.length; i++) {
    const ev = Number(e[i]);
    const av = Number(a[i]);
    const same = ev === av || (Number.isNaN(ev) && Number.isNaN(av));
    const diff = same ? 0 : Math.abs(ev - av);
    if (diff > maxDiff || Number.isNaN(diff)) maxDiff = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    if (!same && !(diff <= tol.atol + rtol * Math.abs(ev))) {
      mismatches++;
      first ??= { index: i, expected: ev, actual: av };
    }
  }
  const allowed = Math.floor((tol.mismatchFraction ?? 0) * e.length);
  return { ok: mismatches <= allowed, total: e.length, mismatches, maxDiff, ...(first ? { first } : {}) };
}

function asNumbers(x: TypedArray, dtype: DType): ArrayLike<number | bigint> {
  return dtype === 'float16' ? float16ToFloat32Array(x as Uint16Array) : x;
}
