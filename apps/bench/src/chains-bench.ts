/**
 * `pnpm bench:chains`: the image-op chains (edges, detection input, classification input) on a 1920x1080
 * photo on the CPU reference, Vulkan and WebGPU, same run, one child process per backend. Prints a
 * Markdown table; `--iterations N` (default 10), `--backends cpu,webgpu`. On a machine without a GPU the
 * "GPUs" are lavapipe and SwiftShader: CPU emulations whose figures say little about real GPUs.
 */
import { CHAIN_BACKENDS, runChains } from './chains-run.js';
import { formatChainTable } from './chains-table.js';
import { serveChainsChild } from './chains-serve.js';

async function main(argv: readonly string[]): Promise<number> {
  const served = await serveChainsChild(argv);
  if (served !== undefined) return served;
  let iterations = 10;
  let backends: readonly string[] = CHAIN_BACKENDS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--iterations') iterations = Number(argv[++i]);
    else if (a === '--backends') backends = (argv[++i] ?? '').split(',').filter(Boolean);
    else {
      process.stderr.write(`bench:chains: unknown option '${a}' (expected --iterations N, --backends LIST)\n`);
      return 2;
    }
  }
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    process.stderr.write('bench:chains: --iterations must be a positive integer\n');
    return 2;
  }
  process.stdout.write(formatChainTable(await runChains(__filename, iterations, backends)));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench:chains: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
