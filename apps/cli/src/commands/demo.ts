import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Device, backendStatuses, grayscale, readImage, writeImage } from '@ocellus/core';
import { BACKEND_OPTION, maxPixelsOption, backendOption, parseCommand } from '../args.js';
import { withDevice } from '../device.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { withTensors } from '../tensors.js';
import { DEFAULT_EDGES, edgeMap } from './edges.js';
import { formatDevices } from './devices.js';

const DEFAULT_IMAGE = join('samples', 'grace_hopper.jpg');

/** `ocellus demo [image] [--backend spec]`: the README's main job, end to end. */
export async function demoCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    'demo',
    args,
    { ...BACKEND_OPTION },
    { names: ['[image]'], required: 0 },
  );
  const spec = backendOption('demo', values.backend);
  const input = positionals[0] ?? findDefaultImage();
  if (input === undefined) {
    throw new CliError(`demo: cannot find the sample image ${DEFAULT_IMAGE}; pass an image: ocellus demo <image>`);
  }
  const { grayPath, edgesPath } = demoOutputs(input);

  io.stdout.write(`Devices:\n${indent(formatDevices(await backendStatuses()))}\n`);
  const started = performance.now();
  await withDevice(spec, io, (device) =>
    withTensors(async (keep) => {
      io.stdout.write(`Image ${input} on ${device.id}:\n`);
      const step = stepTimer(io, device);
      const image = keep(
        await step('read', () =>
          readImage(device, input, { maxPixels: maxPixelsOption('demo', values['max-pixels']) }),
        ),
      );
      const gray = keep(await step('grayscale', () => grayscale(image)));
      await step('write gray', () => writeImage(grayPath, gray));
      const edges = await step('canny', () => edgeMap(gray, DEFAULT_EDGES, keep));
      await step('write edges', () => writeImage(edgesPath, edges));
    }),
  );
  io.stdout.write(
    `  ${'total'.padEnd(12)}${ms(performance.now() - started)}\n\nWrote:\n  ${grayPath}\n  ${edgesPath}\n`,
  );
  return 0;
}

/** `<dir>/<name>.gray.png` and `<dir>/<name>.edges.png` beside the image. */
export function demoOutputs(image: string): { grayPath: string; edgesPath: string } {
  const stem = join(dirname(image), basename(image, extname(image)));
  return { grayPath: `${stem}.gray.png`, edgesPath: `${stem}.edges.png` };
}

/**
 * The repository's samples/grace_hopper.jpg, looked for upward from this file (dist/bin.cjs or
 * src/commands/demo.ts), then from the running script and the working directory, so the demo works
 * from any directory, through a node_modules/.bin link, and from the sources under test.
 */
export function findDefaultImage(): string | undefined {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  if (process.argv[1]) starts.splice(1, 0, dirname(realpathOr(process.argv[1])));
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, DEFAULT_IMAGE);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

type Step = <T>(label: string, fn: () => T | Promise<T>) => Promise<T>;

/** Times one step and prints it; ops may only be queued on a GPU, so the device is synced before the clock stops. */
function stepTimer(io: Io, device: Device): Step {
  return async (label, fn) => {
    const start = performance.now();
    const result = await fn();
    await device.sync();
    io.stdout.write(`  ${label.padEnd(12)}${ms(performance.now() - start)}\n`);
    return result;
  };
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(8)} ms`;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
