import { readFile } from 'node:fs/promises';
import { decodeImage, openDevice } from '@ocellus/core';
import { classificationInput, detectionInput } from '@ocellus/models';
import * as ort from 'onnxruntime-node';
import { type SideRunner, type SideSpec, TASK } from './models-side.js';

/**
 * The baseline: what a user gets from onnxruntime-node alone. One InferenceSession on the main thread
 * with the pipeline's session options (cpu, `threads` intra-op threads, 1 inter-op thread, all graph
 * optimisations), the same model bytes, and the input tensor prepared once, outside the timing: each
 * timed call is `session.run(feeds)` and nothing else. run() computes on the calling thread, so the raw
 * loop has no concurrency: its throughput is one call after another.
 */
export async function rawRunner(spec: SideSpec): Promise<SideRunner> {
  const bytes = new Uint8Array(await readFile(spec.modelPath));
  const start = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: spec.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const loadMs = performance.now() - start;
  const input = await preparedInput(spec);
  const name = session.inputNames[0]!;
  const feeds = new Map<number, Record<string, ort.Tensor>>();
  const feedsOf = (batch: number) => {
    let f = feeds.get(batch);
    if (!f) {
      f = { [name]: new ort.Tensor('float32', repeat(input.data, batch), [batch, ...input.dims.slice(1)]) };
      feeds.set(batch, f);
    }
    return f;
  };
  const coldStart = performance.now();
  await session.run(feedsOf(1));
  const coldMs = performance.now() - coldStart;
  return {
    loadMs,
    coldMs,
    notes: [],
    once: async () => {
      await session.run(feedsOf(1));
    },
    batch: async (batch) => {
      await session.run(feedsOf(batch));
    },
    dispose: () => session.release(),
  };
}

/**
 * The model's input for the benchmark photo, made once with the pipeline's own preprocessing
 * (torchvision's resize + centre crop + normalise, or Ultralytics' letterbox) on core's CPU backend.
 */
async function preparedInput(spec: SideSpec): Promise<{ data: Float32Array; dims: number[] }> {
  const device = await openDevice('cpu');
  try {
    const decoded = await decodeImage(spec.imagePath);
    const image = device.tensor(decoded.data, [decoded.height, decoded.width, decoded.channels], 'uint8');
    const tensor = TASK[spec.model] === 'classification' ? classificationInput(image) : detectionInput(image).tensor;
    return { data: Float32Array.from((await tensor.data()) as Float32Array), dims: [...tensor.shape] };
  } finally {
    await device.close();
  }
}

function repeat(data: Float32Array, times: number): Float32Array {
  if (times === 1) return data;
  const out = new Float32Array(data.length * times);
  for (let i = 0; i < times; i++) out.set(data, i * data.length);
  return out;
}
