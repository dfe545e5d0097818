import { parseArgs } from 'node:util';
import { integer } from './option-values.js';

export interface BenchOptions {
  iterations: number;
  warmup: number;
  /** Where to write the JSON report, if anywhere. */
  json?: string;
  /** The photo to scale to 1920x1080; undefined means the default from ../shared/images. */
  image?: string;
  help: boolean;
}

export const USAGE = `usage: node apps/bench/dist/ops-bench.cjs [options]

Times Ocellus' CPU image ops against opencv.js and sharp on one 1920x1080 RGB image.

  --iterations N   timed runs per op and library (default 20)
  --warmup N       untimed runs before them (default 3)
  --json FILE      also write every sample and the machine to FILE
  --image FILE     the photo to scale to 1920x1080 (default ../shared/images/horses.jpg)
  -h, --help       this text
`;

/** Parses the command line; throws an Error whose message is fit for the user on a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      json: { type: 'string' },
      image: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    iterations: integer('--iterations', values.iterations, 20, 1),
    warmup: integer('--warmup', values.warmup, 3, 0),
    ...(values.json === undefined ? {} : { json: values.json }),
    ...(values.image === undefined ? {} : { image: values.image }),
    help: values.help ?? false,
  };
}
