import { grayscale, readImage, writeImage } from '@ocellus/core';
import { BACKEND_OPTION, maxPixelsOption, backendOption, outputOption, parseCommand } from '../args.js';
import { withDevice } from '../device.js';
import type { Io } from '../io.js';
import { withTensors } from '../tensors.js';

/** `ocellus gray <image> -o <out.png> [--backend spec]` */
export async function grayCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    'gray',
    args,
    { output: { type: 'string', short: 'o' }, ...BACKEND_OPTION },
    { names: ['<image>'], required: 1 },
  );
  const output = outputOption('gray', values.output);
  const spec = backendOption('gray', values.backend);
  const input = positionals[0]!;
  await withDevice(spec, io, (device) =>
    withTensors(async (keep) => {
      const image = keep(await readImage(device, input, { maxPixels: maxPixelsOption('gray', values['max-pixels']) }));
      // writeImage is atomic (temp file, then rename): a failure never leaves a partial output.
      await writeImage(output, keep(grayscale(image)));
    }),
  );
  io.stdout.write(`${output}\n`);
  return 0;
}
