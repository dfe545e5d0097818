/**
 * @ocellus/models: ResNet-50, MobileNetV3-Large and YOLOv8s pipelines (pre-processing on a core device,
 * onnxruntime-node in worker threads, post-processing), the ONNX writer that builds the three
 * architectures with seeded weights, and the pieces each pipeline is made of.
 */
export * from './types.js';

// Pipelines
export { createClassifier, type Classifier, type ClassifierOptions } from './pipelines/classifier.js';
export { createDetector, type Detector, type DetectorOptions } from './pipelines/detector.js';
export type { EngineOptions } from './engine/pipeline-support.js';

// Engine
export {
  OrtSessionPool,
  InferenceError,
  WorkerCrashError,
  ModelLoadError,
  EngineOptionError,
  maxSessions,
  maxThreads,
  type SessionPoolOptions,
  type TensorData,
  type Feeds,
} from './engine/session-pool.js';
export {
  ModelSignatureError,
  validateSignature,
  formatSignature,
  EXPECTED_SIGNATURE,
  type PipelineTask,
  type FittedSignature,
  type GraphSignature,
} from './engine/signature.js';
export {
  chooseProvider,
  listSupportedBackends,
  EXECUTION_PROVIDERS,
  type ExecutionProviderName,
  type ProviderChoice,
} from './engine/providers.js';

// Model files
export {
  exportModel,
  writeModelFile,
  OFFICIAL_PARAMETER_COUNTS,
  EXPORT_OPSET,
  UnknownModelError,
  ModelWriteError,
  type ExportedModel,
} from './architectures/index.js';
export { GraphBuilder, GraphBuildError, type OnnxAttr } from './onnx/graph-builder.js';
export { readModelInfo, ModelFileError, type ModelInfo, type TensorInfo } from './onnx/model-info.js';
export { countFlops, FLOPS_CONVENTION, type FlopCount } from './onnx/flops.js';

// Pre- and post-processing
export { toImageTensor, ImageInputError, type ImageTensor } from './preprocess/image-input.js';
export {
  classificationInput,
  classificationInputInto,
  classificationNormalizeTable,
  classificationPixels,
  resizedOutputSize,
  IMAGENET_MEAN,
  IMAGENET_STD,
  type ClassificationPreprocess,
} from './preprocess/classification.js';
export {
  detectionInput,
  detectionInputInto,
  detectionNormalizeTable,
  type DetectionInput,
} from './preprocess/detection.js';
export { softmax, softmaxTopK } from './postprocess/softmax-topk.js';
export { nms, batchedNms, MAX_WH } from './postprocess/nms.js';
export { decodeYolo, detectionsFromYolo, YOLO_DEFAULTS, type YoloOptions, type YoloBoxes } from './postprocess/yolo.js';

// Labels
export { IMAGENET_LABELS } from './labels/imagenet.js';
export { COCO_LABELS, formatNamesMetadata } from './labels/coco.js';
export { parseNamesMetadata, NamesMetadataError } from './labels/names-metadata.js';

// OCR (PP-OCR: DB detection, direction classifier, CTC recognition)
export * from './ocr/index.js';
