/**
 * One entry point for the architecture-only models: build by name with a seed, get the .onnx bytes and
 * the parameter count, and write them to disk without ever leaving a half-written model behind.
 */
import { errorClass, writeFileAtomic } from '@ocellus/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelName } from '../types.js';
import { buildMobileNetV3Large } from './mobilenetv3.js';
import { buildResNet50 } from './resnet50.js';
import { buildYoloV8s } from './yolov8s.js';

/** The ONNX opset every exported model declares (Resize, Split-with-sizes, Softmax-on-one-axis need >= 13). */
export const EXPORT_OPSET = 17;

/**
 * The parameter counts of the reference implementations (unfused `sum(p.numel() for p in
 * model.parameters())`): torchvision resnet50 and mobilenet_v3_large, Ultralytics YOLOv8s.
 */
export const OFFICIAL_PARAMETER_COUNTS: Readonly<Record<ModelName, number>> = Object.freeze({
  resnet50: 25_557_032,
  mobilenetv3: 5_483_032,
  yolov8s: 11_166_560,
});

const BUILDERS: Readonly<Record<ModelName, (seed: number) => GraphBuilder>> = {
  resnet50: buildResNet50,
  mobilenetv3: buildMobileNetV3Large,
  yolov8s: buildYoloV8s,
};

/** A model name that no builder knows. */
export const UnknownModelError = errorClass('UnknownModelError', 'ERR_OCELLUS_UNKNOWN_MODEL');
export type UnknownModelError = InstanceType<typeof UnknownModelError>;

/** A model file could not be written; the target path is untouched and no temp file is left. */
export const ModelWriteError = errorClass('ModelWriteError', 'ERR_OCELLUS_MODEL_WRITE');
export type ModelWriteError = InstanceType<typeof ModelWriteError>;

export interface ExportedModel {
  readonly bytes: Uint8Array;
  readonly parameters: number;
  readonly name: ModelName;
  readonly seed: number;
}

/** Build an architecture-only model with seeded weights (default seed 0) and serialize it. */
export async function exportModel(name: ModelName, options?: { seed?: number }): Promise<ExportedModel> {
  // Object.hasOwn: 'toString' or '__proto__' from an untyped caller must not reach a builder.
  if (typeof name !== 'string' || !Object.hasOwn(BUILDERS, name)) {
    throw new UnknownModelError(`unknown model '${String(name)}': expected one of ${Object.keys(BUILDERS).join(', ')}`);
  }
  const seed = options?.seed ?? 0;
  // The seed is written into the file's metadata: a fraction would be truncated by the generator and
  // the file would then name a seed that does not reproduce it.
  if (!Number.isSafeInteger(seed)) throw new RangeError(`exportModel: seed must be an integer, got ${seed}`);
  const graph = BUILDERS[name](seed);
  return { bytes: graph.toBytes({ opsetVersion: EXPORT_OPSET }), parameters: graph.parameterCount, name, seed };
}

/**
 * Write `bytes` to `path` atomically (core's writeFileAtomic: a short-named temp file beside it, flushed,
 * renamed over the target, removed on error or when a CLI's signal handler calls removePendingTempFiles).
 */
export async function writeModelFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, 'model file');
  } catch (err) {
    throw new ModelWriteError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
