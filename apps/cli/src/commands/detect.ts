import { type DecodedImage, decodeImage } from '@ocellus/core';
import { COCO_LABELS, type DetectionModel, type DetectionResult, createDetector } from '@ocellus/models';
import { writeAnnotated } from '../annotate.js';
import { BACKEND_OPTION, maxPixelsOption, numberOption, outputOption, parseCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { reportSkipped } from '../device.js';
import type { Io } from '../io.js';
import { type ImageError, forEachImage } from '../per-image.js';
import {
  ARCHITECTURE_ONLY_WARNING,
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

const MODELS: readonly DetectionModel[] = ['yolov8s'];

const OPTIONS = {
  model: { type: 'string', default: 'yolov8s' },
  conf: { type: 'string' },
  iou: { type: 'string' },
  classes: { type: 'string' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean', default: false },
  ...WEIGHTS_OPTIONS,
  ...BACKEND_OPTION,
} as const;

/** Ultralytics' prediction defaults. */
export const DEFAULT_CONF = 0.25;
export const DEFAULT_IOU = 0.7;

/** One entry of the documented `detect --json` array. */
export interface DetectJson {
  image: string;
  detections: { classIndex: number; label: string; score: number; box: [number, number, number, number] }[];
  weights: WeightsJson;
}

/**
 * `ocellus detect <images...> [--model yolov8s] (--weights f.onnx | --architecture-only [--seed N])
 *  [--conf 0.25] [--iou 0.7] [--classes 0,person,...] [-o annotated.png] [--json] [--backend spec]`
 */
export async function detectCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('detect', args, OPTIONS, {
    names: ['<image>'],
    required: 1,
    variadic: true,
  });
  const model = modelOption(values.model);
  const choice = weightsOption('detect', values, () =>
    missingWeightsMessage('detect', [model], `detect photo.jpg --weights ${model}.onnx -o photo.detections.png`),
  );
  const conf = numberOption('detect', 'conf', values.conf, DEFAULT_CONF, { min: 0, max: 1 });
  const iou = numberOption('detect', 'iou', values.iou, DEFAULT_IOU, { min: 0, max: 1 });
  const classes = values.classes === undefined ? undefined : classesOption(values.classes);
  const output = values.output === undefined ? undefined : outputOption('detect', values.output);
  if (output !== undefined && positionals.length > 1) {
    throw new UsageError(`detect: -o writes one annotated image: give one <image> with -o (got ${positionals.length})`);
  }

  const maxPixels = maxPixelsOption('detect', values['max-pixels']);
  const backend = await pipelineBackend('detect', values.backend);

  const detector = createDetector({
    model,
    weights: await resolveWeights(choice, model),
    conf,
    iou,
    ...(classes === undefined ? {} : { classes }),
    backend,
    sessions: 1,
    maxPixels,
  });
  try {
    await loadPipeline(detector, choice);
    reportSkipped(detector.device, io);
    const entries: (DetectJson | ImageError)[] = [];
    let first = true;
    const failed = await forEachImage(
      positionals,
      io,
      async (image) => {
        // With -o the image is decoded here once, for the detector and for the drawing alike.
        const pixels: DecodedImage | undefined = output === undefined ? undefined : await decodeImage(image);
        const result: DetectionResult = await detector.run(pixels ?? image);
        const entry: DetectJson = {
          image,
          detections: result.detections.map((d) => ({
            classIndex: d.classIndex,
            label: d.label,
            score: d.score,
            box: [...d.box],
          })),
          weights: weightsJson(choice, model, result.weights),
        };
        if (first) {
          first = false;
          warnIfArchitectureOnly(entry.weights, io);
          if (!values.json) io.stdout.write(`${weightsLine(entry.weights)}\n`);
        }
        entries.push(entry);
        if (!values.json) io.stdout.write(formatDetections(entry, result));
        if (output !== undefined && pixels !== undefined) {
          const banner = entry.weights.kind === 'architecture-only' ? ARCHITECTURE_ONLY_WARNING : undefined;
          await writeAnnotated(output, pixels, entry.detections, banner ? { banner } : {});
        }
      },
      (e) => entries.push(e),
    );
    if (values.json) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else if (output !== undefined && failed.length === 0) io.stdout.write(`\n${output}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await detector.dispose();
  }
}

function modelOption(raw: string): DetectionModel {
  if (!(MODELS as readonly string[]).includes(raw)) {
    const hint = raw === 'resnet50' || raw === 'mobilenetv3' ? ` (${raw} is a classifier: ocellus classify)` : '';
    throw new UsageError(`detect: unknown --model '${raw}': use ${MODELS.join(' or ')}${hint}`);
  }
  return raw as DetectionModel;
}

/** `--classes 0,2,person,traffic light`: class indices, or COCO names (as in the output's labels). */
export function classesOption(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => p === ''))
    throw new UsageError(`detect: --classes takes a comma-separated list of class indices or COCO names, got '${raw}'`);
  const indices = parts.map((p) => {
    if (/^\d+$/.test(p)) {
      const i = Number(p);
      if (i >= COCO_LABELS.length) {
        throw new UsageError(`detect: --classes: ${p} is not a COCO class index (0 to ${COCO_LABELS.length - 1})`);
      }
      return i;
    }
    const i = COCO_LABELS.indexOf(p.toLowerCase());
    if (i < 0)
      throw new UsageError(
        `detect: --classes: '${p}' is neither a class index nor a COCO class name (person, car, dog, ...)`,
      );
    return i;
  });
  return [...new Set(indices)];
}

/**
 * One block per image:
 *   photo.jpg (640x427): 2 detections
 *     person  0.912  [12.3, 45.0, 200.5, 400.1]
 */
export function formatDetections(entry: DetectJson, result: Pick<DetectionResult, 'width' | 'height'>): string {
  const n = entry.detections.length;
  const lines = [`\n${entry.image} (${result.width}x${result.height}): ${n} detection${n === 1 ? '' : 's'}`];
  const width = Math.max(0, ...entry.detections.map((d) => d.label.length));
  for (const d of entry.detections) {
    lines.push(`  ${d.label.padEnd(width)}  ${d.score.toFixed(3)}  [${d.box.map((v) => v.toFixed(1)).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}
