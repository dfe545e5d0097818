import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { integer, integerList, nameList } from './option-values.js';

export const MODEL_NAMES = ['resnet50', 'mobilenetv3', 'yolov8s'] as const;
export type BenchModel = (typeof MODEL_NAMES)[number];

export interface ModelsBenchOptions {
  models: BenchModel[];
  /** Timed batch-1 calls per side for the latency figures. */
  iterations: number;
  /** Untimed calls before them. */
  warmup: number;
  /** Concurrency levels for the pipeline's throughput (1 is always measured). */
  concurrency: number[];
  batches: number[];
  /** onnxruntime intra-op threads of the raw session and of the pipeline's single session. */
  threads: number;
  seed: number;
  /** Read <model>.onnx from here instead of exporting architecture-only models in the run. */
  weightsDir?: string;
  /** One photo for every model instead of the defaults. */
  image?: string;
  /** Time the pipeline from the file path (JPEG/PNG decoding included) instead of from decoded pixels. */
  decode: boolean;
  json?: string;
  quick: boolean;
  help: boolean;
  /** Internal: run one side of one model in this process (the parent spawns these). */
  child?: string;
}

export const MODELS_USAGE = `usage: node apps/bench/dist/models-bench.cjs [options]

Times the Ocellus pipelines (createClassifier / createDetector) end to end against a raw
onnxruntime-node loop on the same model bytes, for ResNet-50, MobileNetV3 and YOLOv8s, in one run.

  --quick            few iterations: the whole run in about two minutes on 2 cores
  --iterations N     timed batch-1 calls per side (default 30, --quick 8)
  --warmup N         untimed calls before them (default 3, --quick 1)
  --models LIST      comma-separated subset of resnet50,mobilenetv3,yolov8s (default: all)
  --threads N        onnxruntime threads of the raw session and of the pipeline's single session
                     (default: the cores, ${availableParallelism()} here); concurrency uses 2 sessions x N/2
  --concurrency LIST pipeline requests in flight for the throughput rows (default 2,4)
  --batches LIST     batch sizes (default 1,4,8)
  --seed N           seed of the architecture-only weights exported in the run (default 0)
  --weights-dir DIR  use DIR/<model>.onnx instead (e.g. real torchvision / Ultralytics exports)
  --image FILE       one photo for every model (default: grace_hopper.jpg for the classifiers,
                     person.jpg for yolov8s, from ../shared/images)
  --decode           time the pipeline from the file path, JPEG decoding included (default: from
                     decoded pixels, decoding excluded, as the raw loop has no decoding either)
  --json FILE        also write every sample, the machine and the versions to FILE
  -h, --help         this text
`;

/** Parses the command line; throws an Error whose message is fit for the user on a bad option. */
export function parseModelsOptions(argv: readonly string[]): ModelsBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      models: { type: 'string' },
      threads: { type: 'string' },
      concurrency: { type: 'string' },
      batches: { type: 'string' },
      seed: { type: 'string' },
      'weights-dir': { type: 'string' },
      image: { type: 'string' },
      decode: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      child: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  return {
    models: nameList('--models', values.models, MODEL_NAMES, [...MODEL_NAMES]),
    iterations: integer('--iterations', values.iterations, quick ? 8 : 30, 1),
    warmup: integer('--warmup', values.warmup, quick ? 1 : 3, 0),
    concurrency: integerList('--concurrency', values.concurrency, [2, 4]),
    batches: integerList('--batches', values.batches, [1, 4, 8]),
    threads: integer('--threads', values.threads, availableParallelism(), 1),
    seed: integer('--seed', values.seed, 0, 0),
    ...(values['weights-dir'] === undefined ? {} : { weightsDir: values['weights-dir'] }),
    ...(values.image === undefined ? {} : { image: values.image }),
    decode: values.decode ?? false,
    ...(values.json === undefined ? {} : { json: values.json }),
    quick,
    help: values.help ?? false,
    ...(values.child === undefined ? {} : { child: values.child }),
  };
}
