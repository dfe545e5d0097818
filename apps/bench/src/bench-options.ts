import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { MODEL_NAMES } from './models-options.js';
import { integer, integerList, nameList } from './option-values.js';

/** Every model `pnpm bench` knows; `ocr` is the PP-OCRv4 pipeline against Tesseract 5 (ocr-bench.ts). */
export const BENCH_MODELS = [...MODEL_NAMES, 'ocr'] as const;
export type BenchModelName = (typeof BENCH_MODELS)[number];
export const PRECISIONS = ['fp32', 'fp16', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface BenchOptions {
  models: BenchModelName[];
  /** Core device specs for the pipeline's preprocessing; ['auto'] resolves to what openDevice('auto') picks. */
  backends: string[];
  precisions: Precision[];
  batches: number[];
  concurrency: number[];
  /** Timed calls per cell (upper bound when `durationMs` is set). */
  iterations: number;
  /** Time per cell instead of a number of calls. */
  durationMs?: number;
  warmup: number;
  /** onnxruntime intra-op threads (raw session, and the pipeline's session at concurrency 1). */
  threads: number;
  seed: number;
  /** Also time the image ops against opencv.js and sharp. */
  ops: boolean;
  opsIterations: number;
  /** Also time the image-op chains on every backend (cpu, vulkan, webgpu), one child process each. */
  chains: boolean;
  chainsIterations: number;
  /** Also run the video streams cells (streams-suite.ts): --quick uses 2 s clips. */
  streams: boolean;
  out?: string;
  quick: boolean;
  help: boolean;
  child?: string;
}

export const BENCH_USAGE = `usage: pnpm bench [options]            (node apps/bench/dist/bench.cjs)
       pnpm bench compare A.json B.json   per-cell ratios B / A

Every (model, backend, precision, batch, concurrency) cell: the Ocellus pipeline, a raw
onnxruntime-node loop on the same .onnx bytes, the image ops against opencv.js and sharp, the
physical floor (FLOPs per image / this machine's measured peak FLOP/s). Writes results.json,
results.md, latency.svg and throughput.svg.

  --quick              about a minute on 2 cores: iterations 8, warm-up 1, batch 1, concurrency 1
  --models LIST        ${BENCH_MODELS.join(',')} (default: all; ocr: PP-OCRv4 vs
                       Tesseract 5 on two text images, CER and time per image, batch 1 only)
  --backends LIST      core device specs for preprocessing: auto, cpu, vulkan, webgpu, cuda, rocm
                       (default auto: the one openDevice('auto') picks); unavailable ones give n/a cells
  --precision LIST     fp32,fp16,int8 (default fp32; fp16/int8 cells are n/a, with the reason)
  --batch LIST         images per call (default 1,8; --quick 1)
  --concurrency LIST   requests in flight (default 1,4; --quick 1)
  --iterations N       timed calls per cell (default 20, --quick 8)
  --duration T         time per cell instead, e.g. 10s or 500ms (at least 1 call per request in flight)
  --warmup N           untimed calls before each cell (default 2, --quick 1)
  --threads N          onnxruntime intra-op threads (default: the cores, ${availableParallelism()} here)
  --no-ops             skip the image-op comparison with opencv.js and sharp
  --no-chains          skip the image-op chains on cpu, vulkan and webgpu (same run)
  --no-streams         skip the video streams cells (scheduler vs naive loop; pnpm bench:streams alone)
  --seed N             seed of the architecture-only weights (default 0)
  --out DIR            where to write (default bench-results/<timestamp>)
  -h, --help           this text
`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      models: { type: 'string' },
      backends: { type: 'string' },
      precision: { type: 'string' },
      batch: { type: 'string' },
      concurrency: { type: 'string' },
      iterations: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      threads: { type: 'string' },
      'no-ops': { type: 'boolean', default: false },
      'no-chains': { type: 'boolean', default: false },
      'no-streams': { type: 'boolean', default: false },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      child: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  if (values.duration !== undefined && values.iterations !== undefined)
    throw new Error('--duration and --iterations exclude each other');
  const durationMs = values.duration === undefined ? undefined : parseDuration(values.duration);
  return {
    models: nameList('--models', values.models, BENCH_MODELS, [...BENCH_MODELS]),
    backends:
      values.backends === undefined
        ? ['auto']
        : [
            ...new Set(
              values.backends
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            ),
          ],
    precisions: nameList('--precision', values.precision, PRECISIONS, ['fp32']),
    batches: integerList('--batch', values.batch, quick ? [1] : [1, 8]),
    concurrency: integerList('--concurrency', values.concurrency, quick ? [1] : [1, 4]),
    // With --duration, the call count is only a cap.
    iterations: durationMs === undefined ? integer('--iterations', values.iterations, quick ? 8 : 20, 1) : 1_000_000,
    ...(durationMs === undefined ? {} : { durationMs }),
    warmup: integer('--warmup', values.warmup, quick ? 1 : 2, 0),
    threads: integer('--threads', values.threads, availableParallelism(), 1),
    seed: integer('--seed', values.seed, 0, 0),
    ops: !(values['no-ops'] ?? false),
    opsIterations: quick ? 5 : 20,
    chains: !(values['no-chains'] ?? false),
    chainsIterations: quick ? 3 : 10,
    streams: !(values['no-streams'] ?? false),
    ...(values.out === undefined ? {} : { out: values.out }),
    quick,
    help: values.help ?? false,
    ...(values.child === undefined ? {} : { child: values.child }),
  };
}

/** '10s', '500ms', '2m' or a bare number of seconds, in ms. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!m) throw new Error(`--duration takes a time like 10s, 500ms or 2m, got '${raw}'`);
  const value = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (!(value > 0)) throw new Error(`--duration must be above 0, got '${raw}'`);
  return value;
}
