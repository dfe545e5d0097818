import type { DecodedImage, Device } from '@ocellus/core';
import { type ModelName, type WeightsInfo, createClassifier, createDetector } from '@ocellus/models';
import type { BoxToDraw } from '../annotate.js';
import { DEFAULT_CONF, DEFAULT_IOU } from '../commands/detect.js';

/** What one frame gave, as printed in the `--json` lines. */
export type FrameResult =
  | { readonly top: readonly { index: number; label: string; score: number }[] }
  | { readonly detections: readonly BoxToDraw[] };

/** One lane's pipeline: a detector or a classifier with the same run() shape. */
export interface LanePipeline {
  readonly device: Device | undefined;
  /** Known after load(). */
  readonly weights: WeightsInfo | undefined;
  load(): Promise<void>;
  run(pixels: DecodedImage): Promise<{ result: FrameResult; weights: WeightsInfo }>;
  dispose(): Promise<void>;
}

export interface LanePipelineOptions {
  readonly model: ModelName;
  readonly weights: string | Uint8Array;
  readonly backend: string;
  readonly threadsPerSession: number;
}

/** A pipeline for one lane: one session, its own device, top 5 classes or the detector's defaults. */
export function createLanePipeline(o: LanePipelineOptions): LanePipeline {
  const engine = { weights: o.weights, backend: o.backend, sessions: 1, threadsPerSession: o.threadsPerSession };
  if (o.model === 'yolov8s') {
    const detector = createDetector({ ...engine, model: o.model, conf: DEFAULT_CONF, iou: DEFAULT_IOU });
    return {
      get device() {
        return detector.device;
      },
      get weights() {
        return detector.weights;
      },
      load: () => detector.load(),
      async run(pixels) {
        const r = await detector.run(pixels);
        const detections = r.detections.map((d) => ({
          classIndex: d.classIndex,
          label: d.label,
          score: d.score,
          box: [...d.box] as [number, number, number, number],
        }));
        return { result: { detections }, weights: r.weights };
      },
      dispose: () => detector.dispose(),
    };
  }
  const classifier = createClassifier({ ...engine, model: o.model, topK: 5 });
  return {
    get device() {
      return classifier.device;
    },
    get weights() {
      return classifier.weights;
    },
    load: () => classifier.load(),
    async run(pixels) {
      const r = await classifier.run(pixels);
      const top = r.top.map((c) => ({ index: c.index, label: c.label, score: c.score }));
      return { result: { top }, weights: r.weights };
    },
    dispose: () => classifier.dispose(),
  };
}
