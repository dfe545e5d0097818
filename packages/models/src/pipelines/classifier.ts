/**
 * Image classification (ResNet-50, MobileNetV3 or any torchvision-exported classifier): torchvision's
 * eval transform on the core device -> onnxruntime in worker threads -> softmax and top-k.
 */
import type { Device } from '@ocellus/core';
import { ModelPipeline } from './model-pipeline.js';
import {
  hostTurn,
  inChunks,
  type EngineOptions,
  type LoadedModel,
  PipelineLifecycle,
} from '../engine/pipeline-support.js';
import type { ProviderChoice } from '../engine/providers.js';
import { InferenceError } from '../engine/session-pool.js';
import { ModelSignatureError } from '../engine/signature.js';
import { IMAGENET_LABELS } from '../labels/imagenet.js';
import { parseNamesMetadata } from '../labels/names-metadata.js';
import { softmaxTopK } from '../postprocess/softmax-topk.js';
import {
  classificationInput,
  classificationInputInto,
  classificationNormalizeTable,
} from '../preprocess/classification.js';
import { cpuPixels } from '../preprocess/detection.js';
import { toImageTensor } from '../preprocess/image-input.js';
import type { ClassificationModel, ClassificationResult, ImageInput, InferenceEngine, WeightsInfo } from '../types.js';

export interface ClassifierOptions extends EngineOptions {
  /**
   * Which architecture the weights are (for reports). Default: the model's `ocellus.model` metadata, else 'resnet50'.
   */
  model?: ClassificationModel;
  /** The .onnx file (path) or its bytes: a torchvision export, or one from `exportModel`. */
  weights: string | Uint8Array;
  /** Core device spec for preprocessing (`'auto'`, `'cpu'`, `'vulkan:0'`, `'webgpu,cpu'`...). Default 'auto'. */
  backend?: string;
  /** How many classes each result lists. Default 5. */
  topK?: number;
  /** At most this many images per onnxruntime run in runBatch (bounds memory). Default 16. */
  maxBatch?: number;
  /**
   * One label per output class, for a model of your own. Default: the model's `names` metadata when it
   * has one per class, else ImageNet's 1000. A model whose class count fits neither is refused
   * (ModelSignatureError): it is not the classifier it was given as (e.g. PP-OCR's 2-class direction model).
   */
  labels?: readonly string[];
  /**
   * The EXIF orientation of image files and bytes: 'ignore' (default) as torchvision does (PIL's
   * Image.open keeps the stored pixels), or 'apply' to turn phone photos upright first.
   */
  orientation?: 'apply' | 'ignore';
}

export interface Classifier extends InferenceEngine<ImageInput, ClassificationResult> {
  readonly model: ClassificationModel;
  /** Known after load(). */
  readonly weights: WeightsInfo | undefined;
  /** The onnxruntime execution provider serving the sessions (with the fallback reason); after load(). */
  readonly provider: ProviderChoice | undefined;
  /** The core device preprocessing runs on; after load(). */
  readonly device: Device | undefined;
}

const INPUT_SIZE = 224;
const CHW = 3 * INPUT_SIZE * INPUT_SIZE;

interface Loaded extends LoadedModel {
  readonly device: Device;
  readonly model: ClassificationModel;
  /** The normalize step as per-channel lookup tables (the CPU path). */
  readonly table: Float32Array;
  /** The CPU path's resize rows and crop, kept between calls. */
  readonly scratch: { bytes: Uint8Array; crop?: Uint8Array };
}

function isClassificationModel(s: string | undefined): s is ClassificationModel {
  return s === 'resnet50' || s === 'mobilenetv3';
}

/**
 * Labels for C classes: the caller's, the model's `names` metadata when it covers them, ImageNet's for
 * 1000. Anything else is refused: softmax over a model that is no ImageNet classifier (one whose output
 * already is a softmax, such as PP-OCR's direction model) silently gives wrong scores.
 */
function labelsFor(
  name: string,
  classes: number,
  metadata: Readonly<Record<string, string>>,
  given: readonly string[] | undefined,
): readonly string[] {
  if (given !== undefined) {
    if (given.length === classes) return given;
    throw new ModelSignatureError(
      `'${name}' outputs ${classes} classes but ${given.length} labels were given: pass one label per class`,
      `${given.length} classes`,
      `${classes} classes`,
    );
  }
  const names = metadata.names;
  if (names !== undefined) {
    try {
      const parsed = parseNamesMetadata(names);
      if (parsed.length === classes) return parsed;
    } catch {
      // unreadable names metadata: fall through to the defaults
    }
  }
  if (classes === IMAGENET_LABELS.length) return IMAGENET_LABELS;
  throw new ModelSignatureError(
    `'${name}' outputs ${classes} classes: not an ImageNet classifier (1000 classes) and it has no 'names' ` +
      'metadata for its classes; give this pipeline ImageNet weights, or pass labels (one per class) for a model ' +
      'of your own',
    '1000 classes (ImageNet) or names metadata',
    `${classes} classes`,
  );
}

/** A classifier over `weights`; nothing is read until load() (or the first run). */
export function createClassifier(options: ClassifierOptions): Classifier {
  return new ClassifierEngine(options);
}

class ClassifierEngine extends ModelPipeline<Loaded, ClassificationResult> implements Classifier {
  readonly #options: ClassifierOptions;
  readonly #topK: number;
  readonly #maxBatch: number;
  readonly #labels = new Map<number, readonly string[]>();

  constructor(options: ClassifierOptions) {
    if (options === null || typeof options !== 'object' || options.weights === undefined) {
      throw new TypeError('createClassifier: options.weights (a .onnx path or its bytes) is required');
    }
    super(
      new PipelineLifecycle('classifier', 'classification', options, async (loaded, device) => {
        const fromMetadata = loaded.info.metadata['ocellus.model'];
        const model = options.model ?? (isClassificationModel(fromMetadata) ? fromMetadata : 'resnet50');
        // a fixed class count is checked now, before any image (a dynamic one at the first run)
        const classes = loaded.signature.classes;
        if (classes !== undefined) labelsFor(loaded.name, classes, loaded.info.metadata, options.labels);
        const table = await classificationNormalizeTable(device);
        return { ...loaded, device, model, table, scratch: { bytes: new Uint8Array(0) } };
      }),
      INPUT_SIZE,
    );
    this.#options = options;
    this.#topK = options.topK ?? 5;
    if (!Number.isSafeInteger(this.#topK) || this.#topK < 1) {
      throw new RangeError(`createClassifier: topK must be a positive integer, got ${options.topK}`);
    }
    this.#maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 16));
  }

  get model(): ClassificationModel {
    return this.life.loaded?.model ?? this.#options.model ?? 'resnet50';
  }

  async runBatch(inputs: readonly ImageInput[]): Promise<ClassificationResult[]> {
    if (!Array.isArray(inputs)) throw new TypeError('runBatch: expected an array of images');
    const loaded = await this.life.ready();
    if (inputs.length === 0) return [];
    const size = loaded.signature.fixedBatch ?? this.#maxBatch;
    // one more lane than sessions: the next run's images are prepared while the sessions compute
    const chunks = await inChunks(inputs.length, size, loaded.pool.sessions + 1, async (start, end) => {
      // a model with a fixed batch gets exactly that many images; the rest of the last run is zeros
      const n = loaded.signature.fixedBatch ?? end - start;
      // the feed buffer goes to the worker and comes back for a later run
      const data = loaded.pool.inputBuffer(n * CHW);
      if (n > end - start) data.fill(0, (end - start) * CHW);
      for (let i = start; i < end; i++) await this.#preprocess(loaded, inputs[i], data, (i - start) * CHW);
      const out = await loaded.pool.run({
        [loaded.signature.inputName]: { data, dims: [n, 3, INPUT_SIZE, INPUT_SIZE] },
      });
      await hostTurn();
      const results = this.#postprocess(loaded, out[loaded.signature.outputName], end - start);
      loaded.pool.release(out);
      return results;
    });
    return chunks.flat();
  }

  /**
   * One image -> float32 [3, 224, 224] values written into `into` from `offset`. In CPU memory the
   * resize computes only the crop and normalizes into the feed (classificationInputInto); on another
   * device, core's ops there and one download. Either way the bits of `classificationInput`.
   */
  async #preprocess(loaded: Loaded, input: ImageInput, into: Float32Array, offset: number): Promise<void> {
    const image = await toImageTensor(loaded.device, input, {
      maxPixels: this.#options.maxPixels,
      orientation: this.#options.orientation ?? 'ignore',
    });
    try {
      await hostTurn();
      const [height, width, channels] = image.tensor.shape as [number, number, number];
      const pixels = channels === 3 ? cpuPixels(image.tensor) : undefined;
      if (pixels) {
        classificationInputInto(pixels, height, width, loaded.table, into, offset, {}, loaded.scratch);
        return;
      }
      const x = classificationInput(image.tensor);
      try {
        await hostTurn();
        into.set((await x.data()) as Float32Array, offset);
      } finally {
        x.dispose();
      }
    } finally {
      if (image.owned) image.tensor.dispose();
    }
  }

  #postprocess(
    loaded: Loaded,
    output: { data: Float32Array; dims: number[] } | undefined,
    count: number,
  ): ClassificationResult[] {
    if (output?.dims.length !== 2) {
      throw new InferenceError(
        `'${loaded.name}': the model returned ${output ? `[${output.dims.join(',')}]` : 'no output'} where ` +
          '[N,C] was expected',
      );
    }
    const classes = output.dims[1];
    let labels = this.#labels.get(classes);
    if (!labels) {
      labels = labelsFor(loaded.name, classes, loaded.info.metadata, this.#options.labels);
      this.#labels.set(classes, labels);
    }
    const results: ClassificationResult[] = [];
    for (let k = 0; k < count; k++) {
      const logits = output.data.subarray(k * classes, (k + 1) * classes);
      results.push({ top: softmaxTopK(logits, this.#topK, labels), weights: loaded.weights });
    }
    return results;
  }
}
