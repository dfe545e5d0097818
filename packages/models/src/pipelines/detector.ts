/**
 * Object detection (YOLOv8s or any Ultralytics detection export): Ultralytics' letterbox on the core
 * device -> onnxruntime in worker threads -> Ultralytics' NMS, boxes mapped back to the image.
 */
import type { Device, LetterboxGeometry } from '@ocellus/core';
import {
  hostChunk,
  hostTurn,
  inChunks,
  type EngineOptions,
  type LoadedModel,
  PipelineLifecycle,
} from '../engine/pipeline-support.js';
import type { ProviderChoice } from '../engine/providers.js';
import { InferenceError } from '../engine/session-pool.js';
import { ModelPipeline } from './model-pipeline.js';
import { COCO_LABELS } from '../labels/coco.js';
import { parseNamesMetadata } from '../labels/names-metadata.js';
import { YOLO_DEFAULTS, type YoloOptions, detectionsFromYoloSteps } from '../postprocess/yolo.js';
import {
  cpuPixels,
  detectionGeometry,
  detectionInputSteps,
  detectionLetterbox,
  detectionNormalizeTable,
  hostPixels,
  normalizeRows,
} from '../preprocess/detection.js';
import { toImageTensor } from '../preprocess/image-input.js';
import type { Detection, DetectionModel, DetectionResult, ImageInput, InferenceEngine, WeightsInfo } from '../types.js';

export interface DetectorOptions extends EngineOptions {
  /** Which architecture the weights are (for reports). Default 'yolov8s'. */
  model?: DetectionModel;
  /** The .onnx file (path) or its bytes: an Ultralytics export, or one from `exportModel('yolov8s')`. */
  weights: string | Uint8Array;
  /** Core device spec for preprocessing. Default 'auto'. */
  backend?: string;
  /** Confidence threshold (a box is kept when its best class score is > conf). Default 0.25. */
  conf?: number;
  /** NMS IoU threshold. Default 0.7. */
  iou?: number;
  /** At most this many detections per image. Default 300. */
  maxDet?: number;
  /** Keep only these class indices. */
  classes?: number[];
  /** One NMS over all classes rather than one per class. */
  agnostic?: boolean;
  /** At most this many images per onnxruntime run in runBatch (bounds memory). Default 8. */
  maxBatch?: number;
}

export interface Detector extends InferenceEngine<ImageInput, DetectionResult> {
  readonly model: DetectionModel;
  /** Known after load(). */
  readonly weights: WeightsInfo | undefined;
  /** Class names: the model's `names` metadata when present, else COCO's 80; after load(). */
  readonly labels: readonly string[] | undefined;
  readonly provider: ProviderChoice | undefined;
  readonly device: Device | undefined;
}

const INPUT_SIZE = 640;
const CHW = 3 * INPUT_SIZE * INPUT_SIZE;
/**
 * Rows of the [3, 640, 640] input normalized per turn of the caller's thread: 64 rows write 480 KiB
 * of the fresh feed buffer (its first touch, page faults included), about 1-2 ms.
 */
const ROWS_PER_TURN = 64;

interface Loaded extends LoadedModel {
  readonly device: Device;
  readonly labels: readonly string[];
  /** The device's normalize (/ 255) of each uint8 value. */
  readonly table: Float32Array;
}

interface Prepared {
  readonly geometry: LetterboxGeometry;
  readonly width: number;
  readonly height: number;
}

/** Class names: the `names` metadata (Ultralytics writes it) when readable, else COCO's 80. */
function labelsFor(metadata: Readonly<Record<string, string>>, classes: number | undefined): readonly string[] {
  const names = metadata.names;
  if (names !== undefined) {
    try {
      const parsed = parseNamesMetadata(names);
      if (parsed.length > 0 && (classes === undefined || parsed.length >= classes)) return parsed;
    } catch {
      // unreadable names metadata: COCO below, unnamed classes are called "class N"
    }
  }
  return COCO_LABELS;
}

function checkNumber(name: string, v: number | undefined, min: number, max: number, integer = false): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max || (integer && !Number.isSafeInteger(v))) {
    throw new RangeError(
      `createDetector: ${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${v}`,
    );
  }
}

/** A detector over `weights`; nothing is read until load() (or the first run). */
export function createDetector(options: DetectorOptions): Detector {
  return new DetectorEngine(options);
}

class DetectorEngine extends ModelPipeline<Loaded, DetectionResult> implements Detector {
  readonly #options: DetectorOptions;
  readonly #yolo: YoloOptions;
  readonly #maxBatch: number;

  constructor(options: DetectorOptions) {
    if (options === null || typeof options !== 'object' || options.weights === undefined) {
      throw new TypeError('createDetector: options.weights (a .onnx path or its bytes) is required');
    }
    checkNumber('conf', options.conf, 0, 1);
    checkNumber('iou', options.iou, 0, 1);
    checkNumber('maxDet', options.maxDet, 1, Number.MAX_SAFE_INTEGER, true);
    super(
      new PipelineLifecycle('detector', 'detection', options, async (loaded, device) => {
        const table = await detectionNormalizeTable(device);
        return { ...loaded, device, labels: labelsFor(loaded.info.metadata, loaded.signature.classes), table };
      }),
      INPUT_SIZE,
    );
    this.#options = options;
    this.#yolo = {
      conf: options.conf ?? YOLO_DEFAULTS.conf,
      iou: options.iou ?? YOLO_DEFAULTS.iou,
      maxDet: options.maxDet ?? YOLO_DEFAULTS.maxDet,
      ...(options.classes ? { classes: [...options.classes] } : {}),
      ...(options.agnostic !== undefined ? { agnostic: options.agnostic } : {}),
    };
    this.#maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 8));
  }

  get model(): DetectionModel {
    return this.#options.model ?? 'yolov8s';
  }

  get labels(): readonly string[] | undefined {
    return this.life.loaded?.labels;
  }

  async runBatch(inputs: readonly ImageInput[]): Promise<DetectionResult[]> {
    if (!Array.isArray(inputs)) throw new TypeError('runBatch: expected an array of images');
    const loaded = await this.life.ready();
    if (inputs.length === 0) return [];
    const size = loaded.signature.fixedBatch ?? this.#maxBatch;
    const chunks = await inChunks(inputs.length, size, loaded.pool.sessions + 1, async (start, end) => {
      const n = loaded.signature.fixedBatch ?? end - start;
      // every image is normalized straight into its place in the feed (no per-image copy); the buffer
      // goes to the worker and comes back for a later run (a fixed batch's unused tail is zeroed)
      const data = loaded.pool.inputBuffer(n * CHW);
      if (n > end - start) data.fill(0, (end - start) * CHW);
      const prepared: Prepared[] = [];
      for (let i = start; i < end; i++)
        prepared.push(await this.#preprocess(loaded, inputs[i], data, (i - start) * CHW));
      await hostTurn();
      const running = hostChunk('feed', () =>
        loaded.pool.run({ [loaded.signature.inputName]: { data, dims: [n, 3, INPUT_SIZE, INPUT_SIZE] } }),
      );
      const out = await running;
      const output = out[loaded.signature.outputName];
      if (output?.dims.length !== 3 || output.dims[0] !== n) {
        throw new InferenceError(
          `'${loaded.name}': the model returned ${output ? `[${output.dims.join(',')}]` : 'no output'} ` +
            `where [${n},4+nc,A] was expected`,
        );
      }
      const [, rows, anchors] = output.dims;
      const per = rows * anchors;
      const results: DetectionResult[] = [];
      for (let k = 0; k < prepared.length; k++) {
        const p = prepared[k];
        const image = output.data.subarray(k * per, (k + 1) * per);
        // one step (a few ms: a slice of the output's rows, or the NMS) per turn
        const steps = detectionsFromYoloSteps(image, [1, rows, anchors], p.geometry, this.#yolo, loaded.labels);
        let step: IteratorResult<void, Detection[]>;
        do {
          await hostTurn();
          step = hostChunk('decode', () => steps.next());
        } while (!step.done);
        results.push({ detections: step.value, width: p.width, height: p.height, weights: loaded.weights });
      }
      loaded.pool.release(out); // the detections are plain numbers: the output buffer can serve the next run
      return results;
    });
    return chunks.flat();
  }

  /**
   * One image -> letterboxed float32 [3, 640, 640] values written into `into` from `offset`; its
   * geometry and size. A few ms of work per turn of the caller's thread: in CPU memory, letterbox and
   * `/ 255` together a band of rows per turn; on another device, the letterbox there, then the
   * `/ 255` a band of rows per turn.
   */
  async #preprocess(loaded: Loaded, input: ImageInput, into: Float32Array, offset: number): Promise<Prepared> {
    const image = await toImageTensor(loaded.device, input, { maxPixels: this.#options.maxPixels });
    try {
      const [height, width, channels] = image.tensor.shape as [number, number, number];
      const g = detectionGeometry(height, width, INPUT_SIZE);
      const pixels = g.resizedWidth > 0 && g.resizedHeight > 0 ? cpuPixels(image.tensor) : undefined;
      if (pixels) {
        const check = () => void image.tensor.buffer; // DisposedError if the caller's tensor went away
        const steps = detectionInputSteps(
          pixels,
          height,
          width,
          channels,
          loaded.table,
          into,
          offset,
          INPUT_SIZE,
          ROWS_PER_TURN,
          check,
        );
        let step: IteratorResult<void, LetterboxGeometry>;
        do {
          await hostTurn();
          step = hostChunk('letterbox+normalize', () => steps.next());
        } while (!step.done);
        return { geometry: step.value, width, height };
      }
      await hostTurn();
      const { image: boxed, geometry } = hostChunk('letterbox', () => detectionLetterbox(image.tensor, INPUT_SIZE));
      try {
        const host = await hostPixels(boxed);
        for (let y = 0; y < INPUT_SIZE; y += ROWS_PER_TURN) {
          await hostTurn();
          hostChunk('normalize', () =>
            normalizeRows(
              loaded.table,
              host,
              INPUT_SIZE,
              INPUT_SIZE,
              channels,
              into,
              offset,
              y,
              Math.min(INPUT_SIZE, y + ROWS_PER_TURN),
            ),
          );
        }
      } finally {
        boxed.dispose();
      }
      return { geometry, width, height };
    } finally {
      if (image.owned) image.tensor.dispose();
    }
  }
}
