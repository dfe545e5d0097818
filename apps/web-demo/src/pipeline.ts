import { type Device, type Tensor, canny, gaussianBlur, grayscale, letterbox } from '@ocellus/core';
import type { Pixels } from './pixels.js';

export type OpName = 'gray' | 'edges' | 'letterbox';

export interface OpDef {
  readonly name: OpName;
  readonly label: string;
  /** Queues the op's kernels on the input's device; `keep` collects intermediates so they are freed. */
  readonly run: (input: Tensor, keep: (t: Tensor) => Tensor) => Tensor;
}

/** The demo's three steps, with the parameters the issue names. */
export const OPS: readonly OpDef[] = [
  { name: 'gray', label: 'Gray', run: (img, keep) => keep(grayscale(img)) },
  {
    name: 'edges',
    label: 'Edges (blur 5, Canny 50/150)',
    run: (img, keep) => keep(canny(keep(gaussianBlur(keep(grayscale(img)), { ksize: 5 })), { low: 50, high: 150 })),
  },
  {
    name: 'letterbox',
    label: 'Letterbox 640',
    run: (img, keep) => keep(letterbox(img, { width: 640, height: 640 }).image),
  },
];

/** Milliseconds of each phase; every phase waits for the device, so queued GPU work is counted where it runs. */
export interface Timing {
  readonly upload: number;
  readonly kernels: number;
  readonly download: number;
}

export interface OpResult {
  readonly op: OpName;
  /** The device id, e.g. 'webgpu:0' or 'cpu:0'. */
  readonly device: string;
  readonly pixels: Pixels;
  readonly timing: Timing;
}

/** Uploads the image, runs one op, downloads the result, and times the three phases. Frees every tensor. */
export async function runTimed(device: Device, op: OpDef, image: Pixels): Promise<OpResult> {
  const tensors: Tensor[] = [];
  const keep = (t: Tensor): Tensor => {
    tensors.push(t);
    return t;
  };
  try {
    const t0 = performance.now();
    const input = keep(device.tensor(image.data, [image.height, image.width, image.channels], 'uint8'));
    await device.sync();
    const t1 = performance.now();
    const out = op.run(input, keep);
    await device.sync();
    const t2 = performance.now();
    const data = (await out.data()) as Uint8Array;
    const t3 = performance.now();
    const [height, width, channels] = out.shape as [number, number, number];
    return {
      op: op.name,
      device: device.id,
      pixels: { width, height, channels, data },
      timing: { upload: t1 - t0, kernels: t2 - t1, download: t3 - t2 },
    };
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/**
 * Times an op the way the page reports it: one warm-up run (the first WebGPU run compiles its shaders),
 * then `runs` timed runs; each phase is the median over them. The pixels are the last run's.
 */
export async function benchmarkOp(device: Device, op: OpDef, image: Pixels, runs = 3): Promise<OpResult> {
  await runTimed(device, op, image);
  const timed: OpResult[] = [];
  for (let i = 0; i < runs; i++) timed.push(await runTimed(device, op, image));
  const median = (phase: keyof Timing) => {
    const v = timed.map((r) => r.timing[phase]).sort((a, b) => a - b);
    return v[v.length >> 1]!;
  };
  return {
    ...timed.at(-1)!,
    timing: { upload: median('upload'), kernels: median('kernels'), download: median('download') },
  };
}
