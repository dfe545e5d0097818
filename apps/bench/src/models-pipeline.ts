import { type DecodedImage, type Device, decodeImage, openDevice } from '@ocellus/core';
import {
  type ClassificationModel,
  type ImageInput,
  OrtSessionPool,
  classificationInput,
  classificationInputInto,
  classificationNormalizeTable,
  createClassifier,
  createDetector,
  detectionInput,
  detectionInputInto,
  detectionNormalizeTable,
} from '@ocellus/models';
import { type SideRunner, type SideSpec, TASK } from './models-side.js';

interface Pipeline {
  load(): Promise<void>;
  run(image: ImageInput): Promise<unknown>;
  runBatch(images: readonly ImageInput[]): Promise<unknown[]>;
  dispose(): Promise<void>;
}

/**
 * The Ocellus side: createClassifier / createDetector end to end on a real photo: preprocessing with
 * core's ops, the model in the session pool's worker thread(s), postprocessing (softmax + top-5, or
 * YOLO decoding + NMS + boxes back to image pixels). The photo is decoded once beforehand unless
 * `decode` is set, so by default the times exclude JPEG decoding, which the raw loop does not do either.
 * It starts with 1 session x `threads` threads, the raw loop's layout; setLayout() replaces the
 * pipeline by one with another layout (2 sessions for the concurrency rows).
 */
export async function pipelineRunner(spec: SideSpec): Promise<SideRunner> {
  // The path, so errors name the file; the bytes read are the raw side's.
  const weights = spec.modelPath;
  const backend = spec.backend ?? 'cpu';
  const decoded = await decodeImage(spec.imagePath);
  const input: ImageInput = spec.decode ? spec.imagePath : decoded;
  const make = (sessions: number, threadsPerSession: number): Pipeline =>
    TASK[spec.model] === 'classification'
      ? createClassifier({ model: spec.model as ClassificationModel, weights, backend, sessions, threadsPerSession })
      : createDetector({ model: 'yolov8s', weights, backend, sessions, threadsPerSession });

  const start = performance.now();
  let pipeline = make(1, spec.threads);
  const notes: string[] = [];
  try {
    await pipeline.load();
  } catch (err) {
    await pipeline.dispose();
    throw err;
  }
  const loadMs = performance.now() - start;
  const coldStart = performance.now();
  const sample = await pipeline.run(input);
  const coldMs = performance.now() - coldStart;
  const detections = (sample as { detections?: unknown[] }).detections;
  if (detections)
    notes.push(`${detections.length} detections per image, decoded and suppressed by the NMS in every pipeline call`);

  const device = await openDevice('cpu');
  const batches = new Map<number, ImageInput[]>();
  return {
    loadMs,
    coldMs,
    notes,
    deviceMemory: () => {
      const d = (pipeline as { device?: Device }).device;
      return d ? { device: `${d.id} ${d.info.name}`, counters: d.memory() } : undefined;
    },
    once: async () => {
      await pipeline.run(input);
    },
    batch: async (batch) => {
      let images = batches.get(batch);
      if (!images) batches.set(batch, (images = Array.from({ length: batch }, () => input)));
      await pipeline.runBatch(images);
    },
    setLayout: async (sessions, threadsPerSession) => {
      await pipeline.dispose();
      pipeline = make(sessions, threadsPerSession);
      await pipeline.load();
    },
    preprocess: await cpuPreprocessor(spec, device, decoded),
    poolOnly: async (calls) => {
      // The pipeline is done by now: its sessions go first, so this one does not add to its peak memory.
      await pipeline.dispose();
      return poolOnly(spec, weights, await prepared(spec, device, decoded), calls);
    },
    dispose: async () => {
      await pipeline.dispose();
      await device.close();
    },
  };
}

/**
 * The pipeline's preprocessing alone, as run() does it on the CPU device: the decoded pixels to the
 * model's float32 input, written into a feed buffer that is reused (torchvision's resize computing only
 * the centre crop + normalize by table, or Ultralytics' letterbox + /255 in one pass). Tells how much of
 * the overhead is preprocessing.
 */
async function cpuPreprocessor(spec: SideSpec, device: Device, decoded: DecodedImage): Promise<() => void> {
  const { data: pixels, height, width, channels } = decoded;
  if (TASK[spec.model] === 'classification') {
    const table = await classificationNormalizeTable(device);
    const out = new Float32Array(3 * 224 * 224);
    const scratch = { bytes: new Uint8Array(0) };
    return () => classificationInputInto(pixels, height, width, table, out, 0, {}, scratch);
  }
  const table = await detectionNormalizeTable(device);
  const out = new Float32Array(3 * 640 * 640);
  return () => void detectionInputInto(pixels, height, width, channels, table, out, 0);
}

async function prepared(
  spec: SideSpec,
  device: Device,
  decoded: DecodedImage,
): Promise<{ data: Float32Array; dims: number[] }> {
  const image = device.tensor(decoded.data, [decoded.height, decoded.width, decoded.channels], 'uint8');
  try {
    const x = TASK[spec.model] === 'classification' ? classificationInput(image) : detectionInput(image).tensor;
    try {
      return { data: (await x.data()) as Float32Array, dims: [...x.shape] };
    } finally {
      x.dispose();
    }
  } finally {
    image.dispose();
  }
}

/**
 * The pipeline's session pool alone (1 session x `threads`, in its worker thread) on the prepared input:
 * the model plus the hop to the worker and back, without pre- or postprocessing. Each call fills a feed
 * buffer from the pool and gives the outputs back, as the pipeline does (buffers go round, never reallocated).
 */
async function poolOnly(
  spec: SideSpec,
  weights: string,
  input: { data: Float32Array; dims: number[] },
  calls: number,
): Promise<number[]> {
  const pool = await OrtSessionPool.create(weights, { sessions: 1, threadsPerSession: spec.threads });
  try {
    const name = pool.inputNames[0]!;
    const once = async () => {
      const data = pool.inputBuffer(input.data.length);
      data.set(input.data);
      pool.release(await pool.run({ [name]: { data, dims: input.dims } }));
    };
    await once();
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await once();
      samples.push(performance.now() - t);
    }
    return samples;
  } finally {
    await pool.dispose();
  }
}
