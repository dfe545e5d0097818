import { basename } from 'node:path';
import { type ModelName, type WeightsInfo, exportModel } from '@ocellus/models';
import { backendOption, numberOption } from './args.js';
import { CliError, UsageError, isOcellusError } from './errors.js';
import { checkBackendNames } from './device.js';
import type { Io } from './io.js';

/**
 * Options shared by `classify` and `detect`. The weights: the user's own .onnx file (`--weights`), or,
 * on request only, architecture-only weights built in memory (`--architecture-only [--seed N]`).
 * Architecture-only weights are labelled in every output: a warning on stderr, a line in the human
 * output, the `weights` field of the JSON, a banner on annotated images. And `--backend`: the core
 * device the pipeline preprocesses on (the model itself runs in onnxruntime's CPU provider).
 */

export const WEIGHTS_OPTIONS = {
  weights: { type: 'string' },
  'architecture-only': { type: 'boolean', default: false },
  seed: { type: 'string' },
} as const;

export type WeightsChoice =
  | { readonly kind: 'user'; readonly path: string }
  | { readonly kind: 'architecture-only'; readonly seed: number };

/** The warning printed to stderr whenever the weights are architecture-only. */
export const ARCHITECTURE_ONLY_WARNING = 'architecture-only weights: predictions are meaningless';

/**
 * How to get real weights, per model: the exact export commands. IMAGENET1K_V1, not V2: V2's weights
 * were trained for a 232-pixel resize, the pipeline (torchvision's V1 transforms) resizes to 256.
 */
const EXPORT_RECIPES: Record<ModelName, string> = {
  resnet50:
    '  ResNet-50 (torchvision, in Python with torch and torchvision installed):\n' +
    '    import torch, torchvision\n' +
    '    m = torchvision.models.resnet50(weights="IMAGENET1K_V1").eval()\n' +
    '    torch.onnx.export(m, torch.randn(1, 3, 224, 224), "resnet50.onnx", opset_version=17,\n' +
    '                      input_names=["input"], output_names=["logits"],\n' +
    '                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})\n',
  mobilenetv3:
    '  MobileNetV3-Large (torchvision): the same with\n' +
    '    m = torchvision.models.mobilenet_v3_large(weights="IMAGENET1K_V1").eval()   # -> "mobilenetv3.onnx"\n',
  yolov8s:
    '  YOLOv8s (Ultralytics, pip install ultralytics):\n' +
    '    yolo export model=yolov8s.pt format=onnx      # writes yolov8s.onnx\n',
};

/** The exit-2 explanation when neither --weights nor --architecture-only is given. */
export function missingWeightsMessage(command: string, models: readonly ModelName[], example: string): string {
  return (
    `${command}: missing --weights <model.onnx>. Ocellus ships no trained weights (no npm or Debian ` +
    'package has them): ' +
    'export them from the original framework to ONNX, then pass the file.\n' +
    models.map((m) => EXPORT_RECIPES[m]).join('') +
    `  then: ocellus ${example}\n` +
    'To try the command without trained weights, add --architecture-only: the same architecture with seeded random ' +
    'weights (--seed N, default 0), labelled as such in every output; its predictions are meaningless.'
  );
}

/** Checks --weights / --architecture-only / --seed; all usage errors (exit 2), before any work. */
export function weightsOption(
  command: string,
  values: { weights?: string; 'architecture-only'?: boolean; seed?: string },
  explain: () => string,
): WeightsChoice {
  const archOnly = values['architecture-only'] === true;
  if (values.weights !== undefined && archOnly) {
    throw new UsageError(`${command}: give either --weights <model.onnx> or --architecture-only, not both`);
  }
  if (values.seed !== undefined && !archOnly)
    throw new UsageError(`${command}: --seed only applies to --architecture-only weights`);
  if (archOnly) return { kind: 'architecture-only', seed: seedOption(command, values.seed) };
  if (values.weights === undefined || values.weights === '') throw new UsageError(explain());
  return { kind: 'user', path: values.weights };
}

export function seedOption(command: string, raw: string | undefined): number {
  return numberOption(command, 'seed', raw, 0, { min: 0, max: 2 ** 32 - 1, integer: true });
}

/** What a pipeline gets as `weights`: the file path, or the bytes of a model exported here and now. */
export async function resolveWeights(choice: WeightsChoice, model: ModelName): Promise<string | Uint8Array> {
  if (choice.kind === 'user') return choice.path;
  const exported = await exportModel(model, { seed: choice.seed });
  return exported.bytes;
}

/** The `weights` field of the JSON output. */
export interface WeightsJson {
  kind: 'user' | 'architecture-only';
  source: string;
  seed?: number;
  note?: string;
}

/**
 * What the output says about the weights. The pipeline reads the file's metadata, so a model written by
 * `ocellus export` and passed with --weights is labelled architecture-only too; weights built here are
 * labelled whatever the pipeline reports.
 */
export function weightsJson(choice: WeightsChoice, model: ModelName, reported: WeightsInfo | undefined): WeightsJson {
  if (choice.kind === 'architecture-only') {
    return {
      kind: 'architecture-only',
      source: `${model} built in memory (--architecture-only)`,
      seed: choice.seed,
      note: reported?.note ?? 'seeded random weights, not trained; predictions are meaningless',
    };
  }
  if (reported?.kind === 'architecture-only') {
    return {
      kind: 'architecture-only',
      source: choice.path,
      ...(reported.seed === undefined ? {} : { seed: reported.seed }),
      note: reported.note ?? 'seeded random weights, not trained; predictions are meaningless',
    };
  }
  return { kind: 'user', source: choice.path };
}

/** The human-readable line about the weights, printed before the results. */
export function weightsLine(w: WeightsJson): string {
  if (w.kind === 'user') return `weights: ${w.source}`;
  return (
    `weights: ARCHITECTURE-ONLY (${w.source}${w.seed === undefined ? '' : `, seed ${w.seed}`}): predictions ` +
    'are meaningless'
  );
}

/** The stderr warning, once per run, when the weights are architecture-only. */
export function warnIfArchitectureOnly(w: WeightsJson, io: Io): void {
  if (w.kind === 'architecture-only') io.stderr.write(`ocellus: warning: ${ARCHITECTURE_ONLY_WARNING}\n`);
}

/** `--backend` for a pipeline: checked as every command checks it; the pipeline then opens the device itself. */
export async function pipelineBackend(command: string, raw: string): Promise<string> {
  const spec = backendOption(command, raw);
  await checkBackendNames(spec);
  return spec;
}

/**
 * Loads a pipeline. Its errors about the model name the file by its base name; the CLI names it as the
 * user typed it, so a wrong `--weights` path is obvious. Other errors pass unchanged.
 */
export async function loadPipeline(pipeline: { load(): Promise<void> }, choice: WeightsChoice): Promise<void> {
  try {
    await pipeline.load();
  } catch (err) {
    if (choice.kind !== 'user' || !isOcellusError(err) || err.message.includes(`'${choice.path}'`)) throw err;
    const short = `'${basename(choice.path)}'`;
    throw new CliError(
      err.message.includes(short)
        ? err.message.replace(short, `'${choice.path}'`)
        : `--weights '${choice.path}': ${err.message}`,
    );
  }
}
