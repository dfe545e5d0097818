import { ShapeError } from '../errors.js';

export type Shape = readonly number[];

/** Checks that every dimension is a non-negative safe integer; returns a frozen copy. */
export function checkShape(shape: readonly number[], what = 'shape'): Shape {
  if (!Array.isArray(shape)) throw new ShapeError(`${what} must be an array of dimensions, got ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${what} [${shape.join(',')}] has an invalid dimension ${d}: dimensions are integers >= 0`);
    }
  }
  return Object.freeze([...shape]);
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) element strides. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}
