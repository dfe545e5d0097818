/**
 * `pnpm bench:ops`: times gray, bilinear resize, 5x5 Gaussian blur and Canny on one 1920x1080 RGB
 * photo, for Ocellus' CPU backend and for opencv.js and sharp in the same process, and prints a table
 * with the ratio Ocellus / peer. A benchmark, not a test: it reports, it does not judge.
 */
import { writeFile } from 'node:fs/promises';
import { CASES, type CaseId, type Peer } from './cases.js';
import { loadBenchImage } from './image.js';
import { machine, machineLine } from './machine.js';
import { type Cell, formatTable } from './ops-table.js';
import { USAGE, parseOptions } from './options.js';
import { ocellusPeer } from './peers/ocellus.js';
import { openCvPeer } from './peers/opencv.js';
import { sharpPeer } from './peers/sharp.js';
import { type TimingOptions, measure } from './timing.js';

async function main(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (err) {
    process.stderr.write(`ops-bench: ${message(err)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let img: Awaited<ReturnType<typeof loadBenchImage>>;
  try {
    img = await loadBenchImage(options.image);
  } catch (err) {
    process.stderr.write(`ops-bench: ${message(err)}\n`);
    return 1;
  }
  const timing: TimingOptions = { iterations: options.iterations, warmup: options.warmup };

  // A library that fails to load still gets its column, with the reason in every cell.
  const names = ['Ocellus-CPU', 'opencv.js', 'sharp'];
  const setups = await Promise.allSettled([
    ocellusPeer(img),
    openCvPeer(img),
    Promise.resolve().then(() => sharpPeer(img)),
  ]);
  const cells = Object.fromEntries(CASES.map((c) => [c.id, {} as Record<string, Cell>])) as Record<
    CaseId,
    Record<string, Cell>
  >;
  const peers: Peer[] = [];
  setups.forEach((s, i) => {
    if (s.status === 'fulfilled') peers.push(s.value);
    else
      for (const c of CASES)
        cells[c.id][names[i]!] = { kind: 'error', message: `could not load: ${message(s.reason)}` };
  });

  // Op by op, every library in turn, so that a slow drift of the machine touches all columns alike.
  for (const { id } of CASES) {
    for (const peer of peers) {
      progress(`  ${id} on ${peer.name}...`);
      cells[id][peer.name] = await timeOne(peer.ops[id], timing);
    }
  }
  progress('');
  for (const peer of peers) await peer.close();

  const m = machine();
  const lines = [
    `Ocellus image ops vs opencv.js and sharp: median (p90) in ms of ${timing.iterations} runs after ` +
      `${timing.warmup} warm-up runs`,
    machineLine(m),
    `image: ${img.source}`,
    ...peers.map((p) => `${p.name}: ${p.version}`),
    '',
    formatTable({ libraries: names, cells }),
    '',
    'ratio = Ocellus median / median of the library to its left: above 1x Ocellus is slower, below 1x faster.',
    ...peers.flatMap((p) => p.notes.map((n) => `- ${n}`)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  if (options.json) {
    const report = {
      machine: m,
      timing,
      image: img.source,
      libraries: Object.fromEntries(peers.map((p) => [p.name, p.version])),
      cells,
    };
    await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${options.json}\n`);
  }
  return 0;
}

/** Times one op; a library without it, or one that throws, yields a cell saying so instead of a crash. */
async function timeOne(op: Peer['ops'][CaseId], timing: TimingOptions): Promise<Cell> {
  if (typeof op === 'string') return { kind: 'na', why: op };
  try {
    return { kind: 'time', stats: await measure(op, timing) };
  } catch (err) {
    return { kind: 'error', message: message(err) };
  }
}

// A one-line progress indicator on a terminal only, so redirected output stays clean.
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(60)}\r`);
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ops-bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
