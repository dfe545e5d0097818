/**
 * `pnpm bench:streams`: N video sources (generated clips) through the Scheduler over CPU lanes and
 * simulated devices, against a naive one-frame-at-a-time loop on the same workload; prints the table and
 * writes streams.json (the `streams` section of results.json). `--quick`: 2 s clips.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { integer, integerList } from './option-values.js';
import { STREAMS_DEFAULTS, STREAMS_QUICK, runStreams } from './streams-suite.js';
import { formatStreams } from './streams-table.js';

const IMAGES = resolve(__dirname, '../../../../shared/images');

export const STREAMS_USAGE = `usage: pnpm bench:streams [options]   (node apps/bench/dist/streams-bench.cjs)

  --quick            2 s clips (default 10 s)
  --sources N        video sources (default 4; source 0 realtime, the rest batch)
  --seconds S        clip length (default 10)
  --lanes LIST       cpu lane counts through the scheduler (default 1,2,4)
  --simulated LIST   simulated device counts (default 4,8; 0: none)
  --out DIR          where to write streams.json (default bench-results/streams-<timestamp>)
  -h, --help         this text
`;

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  sources: { type: 'string' },
  seconds: { type: 'string' },
  lanes: { type: 'string' },
  simulated: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function main(argv: readonly string[]): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    values = parseArgs({ args: [...argv], strict: true, options: OPTIONS }).values;
  } catch (err) {
    process.stderr.write(`bench:streams: ${err instanceof Error ? err.message : String(err)}\n\n${STREAMS_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(STREAMS_USAGE);
    return 0;
  }
  const base = values.quick ? STREAMS_QUICK : STREAMS_DEFAULTS;
  const simulated = values.simulated === '0' ? [] : integerList('--simulated', values.simulated, [4, 8]);
  const section = await runStreams({
    ...base,
    sources: integer('--sources', values.sources, base.sources, 1),
    seconds: integer('--seconds', values.seconds, base.seconds, 1),
    cpuLanes: integerList('--lanes', values.lanes, [1, 2, 4]),
    simulatedLanes: simulated,
    seed: 0,
    imagesDir: IMAGES,
    onStep: (s) => process.stderr.write(`${s}\n`),
  });
  const dir = resolve(values.out ?? join('bench-results', `streams-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'streams.json');
  await writeFile(`${path}.tmp`, `${JSON.stringify(section, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  process.stdout.write(`${formatStreams(section)}\n\nwrote ${path}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench:streams: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
