/**
 * Helpers shared by the CPU kernel tests (*.test.ts in this folder): the CPU device of a suite, the test
 * photos, seeded noise images, and a compare-every-case-with-OpenCV loop. Not exported from the package.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { firstTwoChannels } from '../../../test/agreement.js';
import { type RefOutput, SHARED_IMAGES, openCVReference } from '../../../test/opencv.js';
import type { Device } from '../../backend/device.js';
import { openDevice } from '../../backend/registry.js';
import { type Tensor, grayscale, readImage } from '../../index.js';

/**
 * Opens a CPU device before the tests of the enclosing suite (or file) and closes it after them;
 * returns a getter, as the device exists only once `beforeAll` has run.
 */
export function useCpuDevice(): () => Device {
  let device: Device | undefined;
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
  });
  afterAll(async () => {
    await device?.close();
  });
  return () => {
    if (!device) throw new Error('the CPU device is opened in beforeAll: use it inside a test');
    return device;
  };
}

/** How a test photo is read: as decoded, with alpha, grey (via our grayscale op), or its first two channels. */
export type PhotoMode = 'rgb' | 'rgba' | 'grey' | 'two';

/** Reads a photo of ../shared/images as an HWC uint8 tensor of the channel count `mode` names. */
export async function readPhoto(device: Device, file: string, mode: PhotoMode = 'rgb'): Promise<Tensor> {
  const path = join(SHARED_IMAGES, file);
  if (mode === 'grey') return grayscale(await readImage(device, path));
  if (mode === 'two') return firstTwoChannels(device, await readImage(device, path));
  return readImage(device, path, { mode });
}

/** Deterministic noise (a small LCG), so small-image cases exercise every border tap with distinct values. */
export function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A uint8 HWC image of `noise` with the given shape and seed. */
export function noiseImage(device: Device, shape: readonly [number, number, number], seed: number): Tensor {
  return device.tensor(noise(shape[0] * shape[1] * shape[2], seed), [...shape], 'uint8');
}

/** Runs `check` on a noise image of each shape in turn, seeded `firstSeed`, `firstSeed + 1`, ... */
export async function forEachNoiseImage(
  device: Device,
  shapes: readonly (readonly [number, number, number])[],
  firstSeed: number,
  check: (image: Tensor) => Promise<void>,
): Promise<void> {
  for (const [i, shape] of shapes.entries()) {
    using image = noiseImage(device, shape, firstSeed + i);
    await check(image);
  }
}

/** One case of `compareWithOpenCV`: its name (label, shape and attributes) and what `measure` found. */
export interface CaseResult<R> {
  readonly name: string;
  readonly a: R;
}

/** What `compareWithOpenCV` runs: the op's name for the reference script, and how to name, measure and show a case. */
export interface OpenCVComparison<A extends object, R> {
  readonly op: string;
  /** The case's attributes as they appear in its name, after the label and shape. */
  readonly describe: (attrs: A) => string;
  /** Runs our kernel for one case and compares it with OpenCV's output for the same case. */
  readonly measure: (attrs: A, ref: RefOutput) => Promise<R>;
  /** The figures logged for one case. */
  readonly show: (a: R) => string;
}

/**
 * Runs every case on `image` and OpenCV on the same pixels (one Python process), checks each reference
 * keeps the image's shape, and logs one line per case (all of them, before the caller asserts, so a
 * failure still shows every figure). Returns the measurements, named, for the caller to assert.
 */
export async function compareWithOpenCV<A extends object, R>(
  label: string,
  image: Tensor,
  cases: readonly A[],
  how: OpenCVComparison<A, R>,
): Promise<CaseResult<R>[]> {
  const pixels = await image.data<Uint8Array>();
  const jobs = cases.map((attrs) => ({ op: how.op, attrs: { ...attrs } as Record<string, unknown> }));
  const refs = openCVReference(pixels, image.shape, jobs);
  const results: CaseResult<R>[] = [];
  for (const [i, attrs] of cases.entries()) {
    expect(refs[i]!.shape).toEqual([...image.shape]);
    const name = `${label} [${image.shape.join('x')}] ${how.describe(attrs)}`;
    results.push({ name, a: await how.measure(attrs, refs[i]!) });
  }
  console.log(results.map(({ name, a }) => `${how.op} ${name}: ${how.show(a)}`).join('\n'));
  return results;
}

/** Running totals of how many output values equal the reference, and the largest difference. */
export class Tally {
  values = 0;
  identical = 0;
  maxDiff = 0;

  add(values: number, identical: number, maxDiff: number): void {
    this.values += values;
    this.identical += identical;
    this.maxDiff = Math.max(this.maxDiff, maxDiff);
  }

  /** The fraction of values identical to the reference. */
  get fraction(): number {
    return this.identical / this.values;
  }

  /** A log line's figures, e.g. `99.9876% of 1200 values identical to PIL, max diff 1`. */
  report(reference: string): string {
    const pct = ((100 * this.identical) / this.values).toFixed(4);
    return `${pct}% of ${this.values} values identical to ${reference}, max diff ${this.maxDiff}`;
  }
}
