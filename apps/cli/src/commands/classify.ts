import { type ClassificationModel, type ClassificationResult, createClassifier } from '@ocellus/models';
import { BACKEND_OPTION, maxPixelsOption, numberOption, parseCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { reportSkipped } from '../device.js';
import type { Io } from '../io.js';
import { type ImageError, forEachImage } from '../per-image.js';
import {
  WEIGHTS_OPTIONS,
  type WeightsJson,
  loadPipeline,
  missingWeightsMessage,
  pipelineBackend,
  resolveWeights,
  warnIfArchitectureOnly,
  weightsJson,
  weightsLine,
  weightsOption,
} from '../model-options.js';

const MODELS: readonly ClassificationModel[] = ['resnet50', 'mobilenetv3'];

const OPTIONS = {
  model: { type: 'string' },
  top: { type: 'string' },
  json: { type: 'boolean', default: false },
  ...WEIGHTS_OPTIONS,
  ...BACKEND_OPTION,
} as const;

/** One entry of the documented `classify --json` array. */
export interface ClassifyJson {
  image: string;
  top: { index: number; label: string; score: number }[];
  weights: WeightsJson;
}

/**
 * `ocellus classify <images...> --model resnet50|mobilenetv3 (--weights f.onnx | --architecture-only [--seed N])
 *  [--top 5] [--json] [--backend spec]`
 */
export async function classifyCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('classify', args, OPTIONS, {
    names: ['<image>'],
    required: 1,
    variadic: true,
  });
  const model = modelOption(values.model);
  const choice = weightsOption('classify', values, () =>
    missingWeightsMessage(
      'classify',
      model ? [model] : MODELS,
      `classify photo.jpg --model ${model ?? 'resnet50'} --weights ${model ?? 'resnet50'}.onnx`,
    ),
  );
  if (!model) throw new UsageError(`classify: missing --model: ${MODELS.join(' or ')}`);
  const topK = numberOption('classify', 'top', values.top, 5, { min: 1, max: 1000, integer: true });
  const maxPixels = maxPixelsOption('classify', values['max-pixels']);
  const backend = await pipelineBackend('classify', values.backend);

  const classifier = createClassifier({
    model,
    weights: await resolveWeights(choice, model),
    topK,
    backend,
    sessions: 1,
    maxPixels,
  });
  try {
    await loadPipeline(classifier, choice);
    reportSkipped(classifier.device, io);
    const entries: (ClassifyJson | ImageError)[] = [];
    let first = true;
    const failed = await forEachImage(
      positionals,
      io,
      async (image) => {
        const result: ClassificationResult = await classifier.run(image);
        const entry: ClassifyJson = {
          image,
          top: result.top.map((c) => ({ index: c.index, label: c.label, score: c.score })),
          weights: weightsJson(choice, model, result.weights),
        };
        if (first) {
          first = false;
          warnIfArchitectureOnly(entry.weights, io);
          if (!values.json) io.stdout.write(`${weightsLine(entry.weights)}\n`);
        }
        entries.push(entry);
        if (!values.json) io.stdout.write(formatClassification(entry));
      },
      (e) => entries.push(e),
    );
    if (values.json) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await classifier.dispose();
  }
}

function modelOption(raw: string | undefined): ClassificationModel | undefined {
  if (raw === undefined) return undefined;
  if (!(MODELS as readonly string[]).includes(raw)) {
    throw new UsageError(
      `classify: unknown --model '${raw}': use ${MODELS.join(' or ')}` +
        `${raw === 'yolov8s' ? ' (yolov8s is a detector: ocellus detect)' : ''}`,
    );
  }
  return raw as ClassificationModel;
}

/**
 * One block per image:
 *   photo.jpg
 *     1. 0.8312  military uniform (652)
 */
export function formatClassification(entry: ClassifyJson): string {
  const lines = [`\n${entry.image}`];
  entry.top.forEach((c, i) => {
    lines.push(`  ${`${i + 1}.`.padEnd(3)} ${c.score.toFixed(4)}  ${c.label} (${c.index})`);
  });
  return `${lines.join('\n')}\n`;
}
