import type { DecodedImage, Tensor } from '@ocellus/core';

/** The models this package builds and runs. */
export type ClassificationModel = 'resnet50' | 'mobilenetv3';
export type DetectionModel = 'yolov8s';
export type ModelName = ClassificationModel | DetectionModel;

/** Where the weights came from. Architecture-only weights are labelled as such in every output. */
export interface WeightsInfo {
  readonly kind: 'user' | 'architecture-only';
  /** The file, or '<buffer>'. */
  readonly source: string;
  /** The seed of architecture-only weights. */
  readonly seed?: number;
  /** Said in every printed output for architecture-only weights. */
  readonly note?: string;
}

/** An image: a file path, encoded bytes, decoded pixels, or a uint8 HWC tensor on any device. */
export type ImageInput = string | Uint8Array | DecodedImage | Tensor;

export interface Classification {
  readonly index: number;
  readonly label: string;
  readonly score: number;
}

export interface ClassificationResult {
  readonly top: readonly Classification[];
  readonly weights: WeightsInfo;
}

export interface Detection {
  readonly classIndex: number;
  readonly label: string;
  readonly score: number;
  /** [x1, y1, x2, y2] in original image pixels. */
  readonly box: readonly [number, number, number, number];
}

export interface DetectionResult {
  readonly detections: readonly Detection[];
  readonly width: number;
  readonly height: number;
  readonly weights: WeightsInfo;
}

/** The engine shape every pipeline has: load, warm up, run one or many, dispose. */
export interface InferenceEngine<I, O> {
  load(): Promise<void>;
  warmup(runs?: number): Promise<void>;
  run(input: I): Promise<O>;
  runBatch(inputs: readonly I[]): Promise<O[]>;
  dispose(): Promise<void>;
}
