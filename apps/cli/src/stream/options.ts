import { extname } from 'node:path';
import type { Priority } from '@ocellus/core';
import type { ModelName } from '@ocellus/models';
import {
  BACKEND_OPTION,
  backendOption,
  checkDestination,
  maxPixelsOption,
  numberOption,
  parseCommand,
} from '../args.js';
import { UsageError } from '../errors.js';
import { WEIGHTS_OPTIONS, type WeightsChoice, missingWeightsMessage, weightsOption } from '../model-options.js';

/**
 * `ocellus stream` options, all checked before any work (usage errors, exit 2). The lane rule:
 * `--backend a,b` gives one lane per listed device, `--lanes N` N lanes per listed device (default 1),
 * so `--backend cpu --lanes 2` is two CPU lanes and `--backend cpu,vulkan:0` one on each.
 */

export const STREAM_MODELS: readonly ModelName[] = ['yolov8s', 'resnet50', 'mobilenetv3'];
const POSITIVE_INTEGER = { min: 1, integer: true } as const;
const PRIORITY_NAMES: readonly Priority[] = ['realtime', 'normal', 'batch'];
/** Container extensions `-o` accepts (ffmpeg picks the muxer from the name). */
const VIDEO_EXTENSIONS = ['.mp4', '.mkv', '.mov', '.avi'];

export const STREAM_OPTIONS = {
  model: { type: 'string' },
  lanes: { type: 'string' },
  priority: { type: 'string', default: 'normal' },
  'max-frames': { type: 'string' },
  duration: { type: 'string' },
  json: { type: 'boolean', default: false },
  output: { type: 'string', short: 'o' },
  width: { type: 'string' },
  ffmpeg: { type: 'string' },
  ...WEIGHTS_OPTIONS,
  ...BACKEND_OPTION,
} as const;

export interface StreamOptions {
  readonly sources: readonly string[];
  readonly model: ModelName;
  readonly weights: WeightsChoice;
  /** One core device spec per lane (a spec may repeat). */
  readonly lanes: readonly string[];
  readonly priority: Priority;
  /** Frames per source, then that source stops. */
  readonly maxFrames: number | undefined;
  /** Seconds of the whole run, then every source stops. */
  readonly durationS: number | undefined;
  readonly json: boolean;
  readonly output: string | undefined;
  readonly width: number | undefined;
  /** The ffmpeg binary (else OCELLUS_FFMPEG, else PATH). */
  readonly ffmpeg: string | undefined;
  readonly maxPixels: number | undefined;
}

export function parseStreamOptions(args: readonly string[]): StreamOptions {
  const { values, positionals } = parseCommand('stream', args, STREAM_OPTIONS, {
    names: ['<source>'],
    required: 1,
    variadic: true,
  });
  const model = modelOption(values.model);
  const name = model ?? 'yolov8s';
  const weights = weightsOption('stream', values, () =>
    missingWeightsMessage(
      'stream',
      model ? [model] : STREAM_MODELS,
      `stream clip.mp4 --model ${name} --weights ${name}.onnx`,
    ),
  );
  if (!model) throw new UsageError(`stream: missing --model: ${STREAM_MODELS.join(', ')}`);
  const perDevice = numberOption('stream', 'lanes', values.lanes, 1, { min: 1, max: 64, integer: true });
  const devices = backendOption('stream', values.backend).split(',');
  const output = values.output === undefined ? undefined : videoOutput(values.output);
  if (output !== undefined && positionals.length > 1) {
    throw new UsageError(
      `stream: -o writes one annotated video: give one <source> with -o (got ${positionals.length})`,
    );
  }
  return {
    sources: positionals,
    model,
    weights,
    lanes: devices.flatMap((d) => Array.from({ length: perDevice }, () => d)),
    priority: priorityOption(values.priority),
    maxFrames: optional(values['max-frames'], (v) => numberOption('stream', 'max-frames', v, 0, POSITIVE_INTEGER)),
    durationS: optional(values.duration, (v) => numberOption('stream', 'duration', v, 0, { min: 0.001 })),
    json: values.json,
    output,
    width: optional(values.width, (v) => numberOption('stream', 'width', v, 0, { min: 2, max: 16384, integer: true })),
    ffmpeg: values.ffmpeg === '' ? undefined : values.ffmpeg,
    maxPixels: maxPixelsOption('stream', values['max-pixels']),
  };
}

function optional<T>(raw: string | undefined, parse: (raw: string) => T): T | undefined {
  return raw === undefined ? undefined : parse(raw);
}

function modelOption(raw: string | undefined): ModelName | undefined {
  if (raw === undefined) return undefined;
  if (!(STREAM_MODELS as readonly string[]).includes(raw)) {
    throw new UsageError(`stream: unknown --model '${raw}': use ${STREAM_MODELS.join(', ')}`);
  }
  return raw as ModelName;
}

function priorityOption(raw: string): Priority {
  if (!(PRIORITY_NAMES as readonly string[]).includes(raw)) {
    throw new UsageError(`stream: unknown --priority '${raw}': use ${PRIORITY_NAMES.join(', ')}`);
  }
  return raw as Priority;
}

function videoOutput(raw: string): string {
  if (raw === '' || raw.startsWith('-')) throw new UsageError(`stream: -o needs a video file name, got '${raw}'`);
  if (!VIDEO_EXTENSIONS.includes(extname(raw).toLowerCase())) {
    throw new UsageError(`stream: -o '${raw}': use a video name ending in ${VIDEO_EXTENSIONS.join(', ')}`);
  }
  checkDestination(raw, 'video');
  return raw;
}
