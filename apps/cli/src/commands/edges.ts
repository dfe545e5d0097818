import { type Tensor, canny, gaussianBlur, grayscale, readImage, writeImage } from '@ocellus/core';
import { BACKEND_OPTION, maxPixelsOption, backendOption, numberOption, outputOption, parseCommand } from '../args.js';
import { withDevice } from '../device.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { type Keep, withTensors } from '../tensors.js';

export interface EdgeOptions {
  readonly low: number;
  readonly high: number;
  readonly l2: boolean;
  /** Gaussian kernel size applied before Canny; 0 for none. */
  readonly blur: number;
}

/** OpenCV's usual Canny(gray, 50, 150), the defaults of the op. */
export const DEFAULT_EDGES: EdgeOptions = { low: 50, high: 150, l2: false, blur: 0 };

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  low: { type: 'string' },
  high: { type: 'string' },
  l2: { type: 'boolean', default: false },
  blur: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

/** `ocellus edges <image> -o <out.png> [--low 50] [--high 150] [--l2] [--blur 0] [--backend spec]` */
export async function edgesCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('edges', args, OPTIONS, { names: ['<image>'], required: 1 });
  const output = outputOption('edges', values.output);
  const options: EdgeOptions = {
    low: numberOption('edges', 'low', values.low, DEFAULT_EDGES.low, { min: 0 }),
    high: numberOption('edges', 'high', values.high, DEFAULT_EDGES.high, { min: 0 }),
    l2: values.l2,
    blur: numberOption('edges', 'blur', values.blur, DEFAULT_EDGES.blur, { min: 0, max: 63, integer: true }),
  };
  // Checked here rather than left to the op, so a bad value is exit 2 before the image is read.
  if (options.blur > 0 && options.blur % 2 === 0)
    throw new UsageError(`edges: --blur must be 0 or an odd kernel size, got ${options.blur}`);
  const spec = backendOption('edges', values.backend);
  const input = positionals[0]!;
  await withDevice(spec, io, (device) =>
    withTensors(async (keep) => {
      const image = keep(await readImage(device, input, { maxPixels: maxPixelsOption('edges', values['max-pixels']) }));
      await writeImage(output, edgeMap(keep(grayscale(image)), options, keep));
    }),
  );
  io.stdout.write(`${output}\n`);
  return 0;
}

/** Canny of a grey image, blurred first when asked; every tensor made here goes to `keep`. */
export function edgeMap(gray: Tensor, options: EdgeOptions, keep: Keep): Tensor {
  const source = options.blur > 0 ? keep(gaussianBlur(gray, { ksize: options.blur })) : gray;
  return keep(canny(source, { low: options.low, high: options.high, l2: options.l2 }));
}
