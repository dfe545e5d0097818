import { extname } from 'node:path';
import { type ModelName, OFFICIAL_PARAMETER_COUNTS, exportModel, writeModelFile } from '@ocellus/models';
import { checkDestination, parseCommand } from '../args.js';
import { CliError, UsageError, isOcellusError } from '../errors.js';
import type { Io } from '../io.js';
import { ARCHITECTURE_ONLY_WARNING, seedOption } from '../model-options.js';

const MODELS: readonly ModelName[] = ['resnet50', 'mobilenetv3', 'yolov8s'];

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  seed: { type: 'string' },
} as const;

/** `ocellus export <resnet50|mobilenetv3|yolov8s> -o <model.onnx> [--seed N]` */
export async function exportCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('export', args, OPTIONS, { names: ['<model>'], required: 1 });
  const name = positionals[0]!;
  if (!(MODELS as readonly string[]).includes(name))
    throw new UsageError(`export: unknown model '${name}': use ${MODELS.join(', ')}`);
  const output = values.output;
  if (output === undefined || output === '') throw new UsageError('export: missing -o <model.onnx>');
  if (extname(output).toLowerCase() !== '.onnx')
    throw new UsageError(`export: the output '${output}' must be an .onnx file`);
  checkDestination(output, 'model file');
  const seed = seedOption('export', values.seed);

  const model = await exportModel(name as ModelName, { seed });
  try {
    await writeModelFile(output, model.bytes);
  } catch (err) {
    if (isOcellusError(err)) throw err;
    throw new CliError(`cannot write model '${output}': ${err instanceof Error ? err.message : String(err)}`);
  }
  io.stdout.write(formatExport(output, model, OFFICIAL_PARAMETER_COUNTS[name as ModelName]));
  io.stderr.write(`ocellus: warning: ${ARCHITECTURE_ONLY_WARNING}\n`);
  return 0;
}

/**
 *   wrote resnet50.onnx (102.3 MB): resnet50, 25,557,032 parameters (the official count: 25,557,032)
 *   weights: ARCHITECTURE-ONLY (seed 0): seeded random, not trained; predictions are meaningless
 */
export function formatExport(
  output: string,
  model: { readonly bytes: Uint8Array; readonly parameters: number; readonly name: string; readonly seed: number },
  official: number | undefined,
): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const size = `${(model.bytes.byteLength / 1e6).toFixed(1)} MB`;
  const check =
    official === undefined
      ? ''
      : official === model.parameters
        ? ` (the official count: ${count(official)})`
        : ` (the official count is ${count(official)})`;
  return (
    `wrote ${output} (${size}): ${model.name}, ${count(model.parameters)} parameters${check}\n` +
    `weights: ARCHITECTURE-ONLY (seed ${model.seed}): seeded random, not trained; predictions are meaningless. ` +
    'Use it to time or test a pipeline; for predictions export trained weights (see ocellus ' +
    'classify/detect without --weights).\n'
  );
}
