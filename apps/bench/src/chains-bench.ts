/**
 * `pnpm bench:chains`: the image-op chains (edges, detection input, classification input) on a 1920x1080
 * photo on the CPU reference, Vulkan and WebGPU, same run, one child process per backend. Prints a
 * Markdown table; `--iterations N` (default 10), `--backends cpu,webgpu`. On a machine without a GPU the
 * "GPUs" are lavapipe and SwiftShader: CPU emulations whose figures say little about real GPUs.
 */
import { parseArgs } from 'node:util';
import { CHAIN_BACKENDS, runChains } from './chains-run.js';
import { formatChainTable } from './chains-table.js';
import { serveChainsChild } from './chains-serve.js';
import { integer, nameList } from './option-values.js';

async function main(argv: readonly string[]): Promise<number> {
  const served = await serveChainsChild(argv);
  if (served !== undefined) return served;
  let iterations: number;
  let backends: string[];
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { iterations: { type: 'string' }, backends: { type: 'string' } },
    });
    iterations = integer('--iterations', values.iterations, 10, 1);
    backends = nameList('--backends', values.backends, CHAIN_BACKENDS, [...CHAIN_BACKENDS]);
  } catch (err) {
    process.stderr.write(
      `bench:chains: ${err instanceof Error ? err.message : String(err)} (options: --iterations N, ` +
        `--backends ${CHAIN_BACKENDS.join(',')})\n`,
    );
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
