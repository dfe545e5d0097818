/** Test helpers shared by the kernel tests: how closely an output matches its reference. */
import type { Device, Tensor } from '../src/index.js';
import { expect } from 'vitest';

export interface Agreement {
  /** Fraction of elements equal to the reference. */
  readonly identical: number;
  /** How many elements are equal to the reference. */
  readonly count: number;
  /** Largest absolute difference (Infinity for a NaN on either side). */
  readonly maxDiff: number;
}

export function agreement(ours: ArrayLike<number>, ref: ArrayLike<number>): Agreement {
  expect(ours.length).toBe(ref.length);
  let count = 0;
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i]! - ref[i]!);
    if (d === 0) count++;
    else if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return { identical: count / ours.length, count, maxDiff };
}

/** A 2-channel image (the first two channels of an RGB one): the channel count the other photos lack. */
export async function firstTwoChannels(d: Device, rgb: Tensor): Promise<Tensor> {
  const src = (await rgb.data()) as Uint8Array;
  const n = rgb.size / 3;
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = src[3 * i]!;
    out[2 * i + 1] = src[3 * i + 1]!;
  }
  return d.tensor(out, [rgb.shape[0]!, rgb.shape[1]!, 2], 'uint8');
}
