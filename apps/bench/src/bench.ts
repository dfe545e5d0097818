/**
 * `pnpm bench`: every (model, backend, precision, batch, concurrency) cell of the Ocellus pipelines,
 * the raw onnxruntime-node loop on the same .onnx bytes, the image ops against opencv.js and sharp,
 * and the physical floor, in one run; writes results.json (schema: ../schema/results.schema.json),
 * results.md, latency.svg and throughput.svg. `pnpm bench compare a.json b.json`: per-cell ratios.
 * Reuses the models benchmark's child processes and the ops benchmark's peers.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { backendStatuses, openDevice } from '@ocellus/core';
import { exportModel, writeModelFile } from '@ocellus/models';
import { measuredCell, naCell, precisionReason, withComparisons } from './bench-cells.js';
import { BENCH_USAGE, type BenchOptions, parseBenchOptions } from './bench-options.js';
import { formatReport, markdownReport } from './bench-report.js';
import {
  type BenchResults,
  type Environment,
  type ModelCell,
  type ModelInfoEntry,
  type OpCell,
  SCHEMA_VERSION,
} from './bench-results.js';
import { latencyChart, throughputChart } from './charts.js';
import { compareResults } from './compare.js';
import { machine } from './machine.js';
import { serveChild } from './models-child.js';
import { Child } from './models-process.js';
import { TASK, concurrentLayout, firstLine } from './models-side.js';
import { benchOcr } from './ocr-bench.js';
import { runOps } from './ops-run.js';
import { type ChainCell, runChains } from './chains-run.js';
import { serveChainsChild } from './chains-serve.js';
import { flopsCounter, measurePeakFlops } from './peak.js';
import { Progress } from './progress.js';
import { sampleRss } from './rss.js';
import { STREAMS_DEFAULTS, STREAMS_QUICK, runStreams } from './streams-suite.js';
import type { StreamsSection } from './streams-results.js';

const IMAGES = resolve(__dirname, '../../../../shared/images');
const DEFAULT_IMAGE = { classification: 'grace_hopper.jpg', detection: 'person.jpg' } as const;

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'compare') return compareCommand(argv.slice(1));
  const served = await serveChainsChild(argv);
  if (served !== undefined) return served;
  let o: BenchOptions;
  try {
    o = parseBenchOptions(argv);
  } catch (err) {
    process.stderr.write(`bench: ${firstLine(err)}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (o.child) return serveChild(o.child);
  const started = performance.now();
  const outDir = resolve(o.out ?? join('bench-results', new Date().toISOString().replace(/[:.]/g, '-')));

  const statuses = await backendStatuses();
  const backends = await resolveBackends(o.backends, statuses);
  const measuredModels = o.models.filter((m) => m !== 'ocr');
  const live = backends.filter((b) => b.available).length;
  const perModel = o.batches.length * (1 + live * o.concurrency.length);
  const extras = (o.ops ? 1 : 0) + (o.chains ? 1 : 0) + (o.streams ? 1 : 0) + (o.models.includes('ocr') ? 1 : 0);
  const progress = new Progress(1 + measuredModels.length * (1 + perModel) + extras);

  progress.step('peak FLOP/s: 2048x2048 MatMul on onnxruntime-node');
  const peak = await measurePeakFlops({ threads: o.threads }).catch((err: unknown) => ({ error: firstLine(err) }));
  progress.tick();
  const counter = flopsCounter();

  const cells: ModelCell[] = [];
  const infos: ModelInfoEntry[] = [];
  const flopsPerImage: Record<string, number> = {};
  const notes: string[] = [];
  const work = await mkdtemp(join(tmpdir(), 'ocellus-bench-'));
  try {
    for (const model of o.models) {
      if (model === 'ocr') {
        // OCR: real PP-OCRv4 weights vs Tesseract 5, CER and time per image (ocr-bench.ts)
        // --quick: 2 passes, no warm-up beyond the cold run (about 20 s on 2 cores)
        const quick = o.quick ? { iterations: Math.min(2, o.iterations), warmup: 0 } : {};
        const r = await benchOcr({ ...o, ...quick, backends, imagesDir: IMAGES, onStep: (s) => progress.step(s) });
        infos.push(r.info);
        cells.push(...r.cells);
        notes.push(...r.notes);
        progress.tick();
        continue;
      }
      progress.step(`${model}: exporting (architecture-only weights, seed ${o.seed})`);
      const exported = await exportModel(model, { seed: o.seed });
      const modelPath = join(work, `${model}.onnx`);
      await writeModelFile(modelPath, exported.bytes);
      let flopsReason: string | undefined;
      try {
        flopsPerImage[model] = counter.count(exported.bytes).total;
      } catch (err) {
        flopsReason = `countFlops failed: ${firstLine(err)}`;
      }
      infos.push({
        model,
        status: 'ok',
        parameters: exported.parameters,
        weights:
          `architecture-only (seed ${exported.seed}): predictions are meaningless; latency does not depend ` +
          'on the weight values',
        ...(flopsPerImage[model] === undefined ? { flopsReason } : { flopsPerImage: flopsPerImage[model] }),
      });
      progress.tick();
      const imagePath = join(IMAGES, DEFAULT_IMAGE[TASK[model]]);
      const spec = { model, modelPath, imagePath, threads: o.threads, decode: false };
      const timed = {
        calls: o.iterations,
        warmup: o.warmup,
        ...(o.durationMs === undefined ? {} : { durationMs: o.durationMs }),
      };

      // The raw onnxruntime-node loop: run() blocks its thread, so concurrency 1 only, per batch.
      progress.step(`${model}: raw onnxruntime-node loading`);
      const raw = await Child.start({ ...spec, side: 'raw' }, __filename);
      for (const precision of o.precisions) {
        for (const batch of o.batches) {
          const key = { model, engine: 'onnxruntime-node', backend: '-', precision, batch, concurrency: 1 };
          const why = precisionReason(precision) ?? raw.failed?.error;
          if (why) {
            cells.push(naCell(key, why, raw.failed && !precisionReason(precision) ? 'error' : 'n/a'));
            continue;
          }
          progress.step(`${model}: raw onnxruntime-node b${batch}`);
          const rss = sampleRss(raw.pid ?? -1, 100);
          const m = await raw.cell({ op: 'cell', ...timed, concurrency: 1, batch });
          const peakRss = rss.stop().peakBytes;
          cells.push(
            'error' in m
              ? naCell(key, m.error, 'error')
              : measuredCell(key, m, {
                  executionProvider: 'cpu',
                  ...opt('coldMs', raw.coldMs),
                  ...opt('loadMs', raw.loadMs),
                  ...opt('hostPeakRssBytes', peakRss),
                }),
          );
          progress.tick();
        }
      }
      await raw.finish();

      for (const b of backends) {
        if (!b.available) {
          for (const precision of o.precisions)
            for (const batch of o.batches)
              for (const concurrency of o.concurrency)
                cells.push(
                  naCell(
                    { model, engine: 'ocellus', backend: b.spec, precision, batch, concurrency },
                    `n/a: ${b.reason}`,
                  ),
                );
          continue;
        }
        progress.step(`${model}: Ocellus pipeline on ${b.spec} loading`);
        const pipe = await Child.start({ ...spec, side: 'pipeline', backend: b.spec }, __filename);
        let layout = { sessions: 1, threadsPerSession: o.threads };
        for (const concurrency of o.concurrency) {
          const want = concurrency === 1 ? { sessions: 1, threadsPerSession: o.threads } : concurrentLayout(o.threads);
          let layoutError: string | undefined;
          if (
            !pipe.failed &&
            (want.sessions !== layout.sessions || want.threadsPerSession !== layout.threadsPerSession)
          ) {
            const a = await pipe.request({ op: 'layout', ...want });
            if ('error' in a) layoutError = a.error;
            else layout = want;
          }
          for (const precision of o.precisions) {
            for (const batch of o.batches) {
              const key = { model, engine: 'ocellus', backend: b.spec, precision, batch, concurrency };
              const pre = precisionReason(precision);
              if (pre) {
                cells.push(naCell(key, pre));
                continue;
              }
              const broken = pipe.failed?.error ?? layoutError;
              if (broken) {
                cells.push(naCell(key, broken, 'error'));
                progress.tick();
                continue;
              }
              progress.step(
                `${model}: Ocellus ${b.spec} b${batch} c${concurrency} (${layout.sessions}x` +
                  `${layout.threadsPerSession} threads)`,
              );
              const rss = sampleRss(pipe.pid ?? -1, 100);
              const m = await pipe.cell({
                op: 'cell',
                ...timed,
                warmup: Math.max(o.warmup, o.warmup * concurrency),
                concurrency,
                batch,
              });
              const peakRss = rss.stop().peakBytes;
              cells.push(
                'error' in m
                  ? naCell(key, m.error, 'error')
                  : measuredCell(key, m, {
                      executionProvider: 'cpu',
                      ...opt('device', pipe.device),
                      ...opt('coldMs', pipe.coldMs),
                      ...opt('loadMs', pipe.loadMs),
                      ...opt('hostPeakRssBytes', peakRss),
                    }),
              );
              progress.tick();
            }
          }
        }
        await pipe.finish();
      }
    }

    let ops: OpCell[] = [];
    if (o.ops) {
      progress.step('image ops: Ocellus-CPU vs opencv.js and sharp');
      const r = await runOps({ iterations: o.opsIterations, warmup: 1 }).catch((err: unknown) => ({
        error: firstLine(err),
      }));
      if ('error' in r) notes.push(`image ops not measured: ${r.error}`);
      else {
        ops = r.cells;
        notes.push(`image ops on ${r.image}`, ...r.notes);
      }
      progress.tick();
    }
    let chains: ChainCell[] = [];
    if (o.chains) {
      progress.step('image-op chains: cpu, vulkan, webgpu');
      chains = await runChains(__filename, o.chainsIterations);
      progress.tick();
    }
    let streams: StreamsSection | undefined;
    if (o.streams) {
      // --quick: 2 s clips, 1 and 2 cpu lanes, 4 simulated devices (about 20 s on 2 cores)
      const size = o.quick ? STREAMS_QUICK : STREAMS_DEFAULTS;
      const lanes = { cpuLanes: o.quick ? [2, 4] : [1, 2, 4], simulatedLanes: o.quick ? [4] : [4, 8] };
      const run = runStreams({ ...size, ...lanes, seed: o.seed, imagesDir: IMAGES, onStep: (s) => progress.step(s) });
      streams = await run.catch((err: unknown) => {
        notes.push(`video streams not measured: ${firstLine(err)}`);
        return undefined;
      });
      progress.tick();
    }
    progress.end();

    // The VM's speed drifts with its neighbours: measure the peak again after the cells and keep the
    // higher, so "% of peak" is never computed against an unlucky low.
    const again = await measurePeakFlops({ threads: o.threads }).catch(() => undefined);
    const first = 'error' in peak ? undefined : peak;
    const peakOk = again && (!first || again.flopsPerSecond > first.flopsPerSecond) ? again : first;
    const env: Environment = environment(statuses, backends);
    const results: BenchResults = {
      schemaVersion: SCHEMA_VERSION,
      tool: '@ocellus/bench bench.cjs',
      environment: env,
      options: { ...o, child: undefined },
      ...(peakOk ? { peak: peakOk } : { peakReason: 'error' in peak ? peak.error : 'not measured' }),
      models: infos,
      cells: withComparisons(cells, flopsPerImage, peakOk?.flopsPerSecond),
      ops,
      chains,
      ...(streams ? { streams } : {}),
      notes: [
        'latency: per call of `batch` images, warm-up calls excluded; cold = the first inference call ' +
          'after loading, reported apart',
        'raw onnxruntime-node loop: one InferenceSession on the main thread, input tensor made once; its ' +
          'run() blocks the thread, so it is measured at concurrency 1 and every pipeline cell is compared ' +
          'with it at the same batch',
        `pipeline at concurrency 1: 1 session x ${o.threads} threads; above 1: ` +
          `${concurrentLayout(o.threads).sessions} sessions x ` +
          `${concurrentLayout(o.threads).threadsPerSession} thread(s)`,
        `FLOPs per image: ${counter.source}; peak FLOP/s: ` +
          `${peakOk ? `${peakOk.method}, the higher of a measurement before and after the cells` : 'not measured'}`,
        'the raw and pipeline cells of a model run one after the other (raw first), each side in its own ' +
          'child process; compare runs on an idle machine',
        ...notes,
      ],
      durationMs: performance.now() - started,
    };
    const written = await writeOutputs(outDir, results);
    process.stdout.write(
      `${formatReport(results)}\n\nwrote ${written.join(', ')} (` +
        `${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    return cells.some((c) => c.status === 'error') ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

type Statuses = Awaited<ReturnType<typeof backendStatuses>>;
interface ResolvedBackend {
  spec: string;
  available: boolean;
  reason?: string;
}

/** 'auto' -> the backend openDevice('auto') picks; a name -> available or not, with the probe's reason. */
async function resolveBackends(specs: readonly string[], statuses: Statuses): Promise<ResolvedBackend[]> {
  const out: ResolvedBackend[] = [];
  for (const spec of specs) {
    if (spec === 'auto') {
      try {
        const d = await openDevice('auto');
        const name = d.backend;
        await d.close();
        if (!out.some((b) => b.spec === name)) out.push({ spec: name, available: true });
      } catch (err) {
        out.push({ spec, available: false, reason: firstLine(err) });
      }
      continue;
    }
    if (out.some((b) => b.spec === spec)) continue;
    const name = spec.split(':')[0]!;
    const s = statuses.find((x) => x.backend === name || x.backend === `@ocellus/backend-${name}`);
    if (!s) out.push({ spec, available: false, reason: `unknown backend '${name}'` });
    else if (!s.available) out.push({ spec, available: false, reason: s.reason ?? 'no devices' });
    else out.push({ spec, available: true });
  }
  return out;
}

function environment(statuses: Statuses, _backends: readonly ResolvedBackend[]): Environment {
  const m = machine();
  const version = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: m.cpu,
    cores: m.cores,
    node: m.node,
    platform: `${process.platform} ${process.arch}`,
    onnxruntime: version('onnxruntime-node'),
    date: m.date,
    load: m.load,
    backends: statuses.map((s) => ({
      backend: s.backend,
      available: s.available,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      devices: s.devices.map((d) => ({
        name: d.name,
        type: d.type,
        ...(d.driver ? { driver: d.driver } : {}),
        ...(d.vendor ? { vendor: d.vendor } : {}),
      })),
    })),
    libraries: {
      '@ocellus/core': version('@ocellus/core'),
      '@ocellus/models': version('@ocellus/models'),
      'onnxruntime-node': version('onnxruntime-node'),
      '@techstark/opencv-js': version('@techstark/opencv-js'),
      sharp: version('sharp'),
    },
  };
}

/** Each file written to a temporary name in the same directory, then renamed: never half a file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

async function writeOutputs(dir: string, results: BenchResults): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['results.json', `${JSON.stringify(results, null, 2)}\n`],
    ['results.md', markdownReport(results)],
    ['latency.svg', latencyChart(results)],
    ['throughput.svg', throughputChart(results)],
  ];
  for (const [name, text] of files) await writeAtomic(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

async function compareCommand(args: readonly string[]): Promise<number> {
  if (args.length !== 2) {
    process.stderr.write('usage: pnpm bench compare A.json B.json   (ratios B / A per cell)\n');
    return 2;
  }
  const [a, b] = await Promise.all(
    args.map(async (p) => {
      if (!existsSync(p)) throw new Error(`no such file: ${p}`);
      return JSON.parse(await readFile(p, 'utf8')) as BenchResults;
    }),
  );
  process.stdout.write(`${compareResults(a!, b!, args[0]!, args[1]!)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
