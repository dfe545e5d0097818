import { type Device, type Tensor, canny, gaussianBlur, grayscale, letterbox, normalize, resize } from '@ocellus/core';

/** An image-op chain as a user runs it: one upload, the ops on the device, one download at the end. */
export interface Chain {
  readonly id: string;
  readonly title: string;
  run(input: Tensor): Tensor;
}

const IMAGENET = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** Applies the steps in turn, disposing each intermediate: only the last tensor is left to the caller. */
function steps(input: Tensor, ...ops: ((t: Tensor) => Tensor)[]): Tensor {
  let t = input;
  for (const op of ops) {
    const next = op(t);
    if (t !== input) t.dispose();
    t = next;
  }
  return t;
}

export const CHAINS: readonly Chain[] = [
  {
    id: 'edges',
    title: 'gray -> blur 5x5 -> Canny 50/150',
    run: (t) =>
      steps(
        t,
        (x) => grayscale(x),
        (x) => gaussianBlur(x, { ksize: 5 }),
        (x) => canny(x, { low: 50, high: 150 }),
      ),
  },
  {
    id: 'detect-input',
    title: 'letterbox 640 -> /255',
    run: (t) =>
      steps(
        t,
        (x) => letterbox(x, { width: 640, height: 640 }).image,
        (x) => normalize(x, { scale: 1 / 255 }),
      ),
  },
  {
    id: 'classify-input',
    title: 'resize 224x224 -> ImageNet normalize',
    run: (t) =>
      steps(
        t,
        (x) => resize(x, { width: 224, height: 224 }),
        (x) => normalize(x, IMAGENET),
      ),
  },
];

/** Median milliseconds of each phase, and the host<->device copies one run of the chain made. */
export interface ChainTiming {
  readonly uploadMs: number;
  readonly kernelsMs: number;
  readonly downloadMs: number;
  readonly totalMs: number;
  readonly uploads: number;
  readonly downloads: number;
  readonly iterations: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/**
 * Times a chain on a device: each phase ends with a sync, so upload, kernels and download are apart
 * (the kernels phase is enqueue + wait). One untimed run first: pipelines, shader modules, pools.
 * Every intermediate is disposed, so the device ends as it started.
 */
export async function timeChain(
  device: Device,
  chain: Chain,
  pixels: Uint8Array,
  shape: readonly number[],
  iterations: number,
): Promise<ChainTiming> {
  const phases = { upload: [] as number[], kernels: [] as number[], download: [] as number[], total: [] as number[] };
  let copies = { uploads: 0, downloads: 0 };
  for (let i = -1; i < iterations; i++) {
    const before = device.memory();
    const t0 = performance.now();
    const input = device.tensor(pixels, shape, 'uint8');
    await device.sync();
    const t1 = performance.now();
    const out = chain.run(input);
    await device.sync();
    const t2 = performance.now();
    await out.data();
    const t3 = performance.now();
    const after = device.memory();
    input.dispose();
    out.dispose();
    if (i < 0) continue;
    copies = { uploads: after.uploads - before.uploads, downloads: after.downloads - before.downloads };
    phases.upload.push(t1 - t0);
    phases.kernels.push(t2 - t1);
    phases.download.push(t3 - t2);
    phases.total.push(t3 - t0);
  }
  return {
    uploadMs: median(phases.upload),
    kernelsMs: median(phases.kernels),
    downloadMs: median(phases.download),
    totalMs: median(phases.total),
    ...copies,
    iterations,
  };
}
