/**
 * `pnpm bench:models`: the Ocellus pipelines end to end against a raw onnxruntime-node loop on the same
 * model bytes, for ResNet-50, MobileNetV3 and YOLOv8s, in one run: latency P50/P90/P99/mean at batch 1,
 * images/s with concurrency and by batch size, peak RSS. Each side of each model lives in its own child
 * process (so the RSS sampled every 100 ms is that side's alone) and the parent alternates its requests
 * between the two, call by call, so that both sides see the same state of a shared machine. A
 * benchmark, not a test: it reports, it does not judge.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { exportModel, writeModelFile } from '@ocellus/models';
import { machine, machineLine } from './machine.js';
import { serveChild } from './models-child.js';
import { MODELS_USAGE, type ModelsBenchOptions, parseModelsOptions } from './models-options.js';
import {
  type Measured,
  type ModelResult,
  type SideResult,
  type ThroughputRow,
  batchTable,
  failed,
  goalLines,
  latencyTable,
  throughputTable,
} from './models-report.js';
import {
  type ChildRequest,
  type SideSpec,
  TASK,
  batchCalls,
  concurrentLayout,
  firstLine,
  mergeThroughput,
  sequentialThroughput,
} from './models-side.js';
import { type LatencyStats, type ThroughputStats, latencyStats } from './models-stats.js';
import { Child } from './models-process.js';

const IMAGES = resolve(__dirname, '../../../../shared/images');
const DEFAULT_IMAGE = { classification: 'grace_hopper.jpg', detection: 'person.jpg' } as const;

async function main(argv: readonly string[]): Promise<number> {
  let options: ModelsBenchOptions;
  try {
    options = parseModelsOptions(argv);
  } catch (err) {
    process.stderr.write(`models-bench: ${firstLine(err)}\n\n${MODELS_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(MODELS_USAGE);
    return 0;
  }
  if (options.child) return serveChild(options.child);

  const images = options.models.map((m) => options.image ?? join(IMAGES, DEFAULT_IMAGE[TASK[m]]));
  for (const path of new Set(images)) {
    if (!existsSync(path)) {
      process.stderr.write(`models-bench: image not found: ${path} (pass --image FILE)\n`);
      return 1;
    }
  }
  const work = await mkdtemp(join(tmpdir(), 'ocellus-models-bench-'));
  try {
    const results: ModelResult[] = [];
    const provenance: string[] = [];
    const failures: string[] = [];
    for (const [i, model] of options.models.entries()) {
      let modelPath: string;
      let parameters: number | undefined;
      if (options.weightsDir) {
        modelPath = resolve(options.weightsDir, `${model}.onnx`);
        if (!existsSync(modelPath)) {
          process.stderr.write(`models-bench: ${modelPath} not found (--weights-dir holds <model>.onnx files)\n`);
          return 1;
        }
        provenance.push(`${model}: ${modelPath}`);
      } else {
        progress(`exporting ${model}...`);
        const start = performance.now();
        const exported = await exportModel(model, { seed: options.seed });
        modelPath = join(work, `${model}.onnx`);
        await writeModelFile(modelPath, exported.bytes);
        parameters = exported.parameters;
        provenance.push(
          `${model}: ARCHITECTURE-ONLY weights (seed ${exported.seed}, ` +
            `${exported.parameters.toLocaleString('en-US')} parameters), ` +
            `exported in this run in ${(performance.now() - start).toFixed(0)} ms`,
        );
      }
      const spec = (side: SideSpec['side']): SideSpec => ({
        side,
        model,
        modelPath,
        imagePath: images[i]!,
        threads: options.threads,
        decode: options.decode,
      });
      try {
        const { raw, pipeline } = await compare(spec('raw'), spec('pipeline'), options);
        results.push({ model, ...(parameters === undefined ? {} : { parameters }), image: images[i]!, raw, pipeline });
      } catch (err) {
        failures.push(`${model}: ${firstLine(err)}`);
      }
    }
    progress('');
    if (results.length === 0) {
      process.stderr.write(`models-bench: nothing could be measured:\n${failures.map((f) => `  ${f}\n`).join('')}`);
      return 1;
    }
    const m = machine();
    const layout = concurrentLayout(options.threads);
    const lines = [
      `Ocellus pipelines vs raw onnxruntime-node, same model bytes, same run: ${options.iterations} timed ` +
        `calls per side after ${options.warmup} warm-up calls, alternating call by call`,
      machineLine(m),
      `onnxruntime-node ${ortVersion()}, cpu execution provider; raw loop: 1 session x ${options.threads} ` +
        'threads on the main thread, input tensor made once',
      'pipeline: ' +
        (options.decode ? 'from the image file (decoding included)' : 'from decoded pixels (decoding excluded)') +
        `, preprocessing on core's cpu backend; ` +
        `1 session x ${options.threads} threads for latency and batches, ${layout.sessions} sessions x ` +
        `${layout.threadsPerSession} thread(s) for concurrency above 1`,
      ...provenance,
      ...(options.weightsDir
        ? []
        : ['architecture-only weights: predictions are meaningless; latency does not depend on the weight values']),
      `images: ${[...new Set(images.map((p) => basename(p)))].join(', ')}`,
      '',
      'Latency at batch 1, one request at a time (overhead = (pipeline p50 - raw p50) / raw p50), peak RSS ' +
        'of each side:',
      latencyTable(results),
      '',
      'Throughput at batch 1, images/s (sessions x threads); best / raw = the best pipeline row / the raw loop:',
      throughputTable(results, options.concurrency),
      '',
      'Throughput by batch size, images/s (one call of N images at a time):',
      batchTable(results, options.batches),
      '',
      'Goals of the models issue (pipeline overhead under 5%, throughput with concurrency at least 1.3x the raw loop):',
      ...goalLines(results),
      ...results.flatMap((r) => [...r.raw.notes, ...r.pipeline.notes].map((n) => `- ${r.model}: ${n}`)),
      ...failures.map((f) => `- NOT MEASURED: ${f}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (options.json) {
      const { child: _, ...shown } = options;
      await writeFile(
        options.json,
        `${JSON.stringify({ machine: m, options: shown, onnxruntime: ortVersion(), results }, null, 2)}\n`,
      );
      process.stdout.write(`wrote ${options.json}\n`);
    }
    return failures.length > 0 ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Both sides of one model, their requests alternated so that a drift of the machine touches both. */
async function compare(
  rawSpec: SideSpec,
  pipeSpec: SideSpec,
  o: ModelsBenchOptions,
): Promise<{ raw: SideResult; pipeline: SideResult }> {
  const model = rawSpec.model;
  progress(`${model}: loading`);
  const raw = await Child.start(rawSpec);
  const pipe = await Child.start(pipeSpec);
  const both = [raw, pipe];
  const broken = both.find((c) => c.failed);
  if (broken) {
    await Promise.all(both.map((c) => c.finish()));
    throw new Error(broken.failed!.error);
  }
  // The order of the two flips at every step, so neither side always runs right after the other.
  let flip = false;
  const alternate = async <T>(fn: (c: Child) => Promise<T>): Promise<[T, T]> => {
    const order = flip ? [pipe, raw] : [raw, pipe];
    flip = !flip;
    const out = new Map<Child, T>();
    for (const c of order) out.set(c, await fn(c));
    return [out.get(raw)!, out.get(pipe)!];
  };

  progress(`${model}: warm-up`);
  await alternate((c) => c.latency(o.warmup, 0));
  progress(`${model}: latency`);
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < o.iterations; i++) {
    const [r, p] = await alternate((c) => c.latency(1, 0));
    samples[0].push(...r);
    samples[1].push(...p);
  }
  const latency = samples.map(
    (s, k) => both[k]!.failed ?? (s.length > 0 ? latencyStats(s) : { error: 'no samples' }),
  ) as [Measured<LatencyStats>, Measured<LatencyStats>];
  progress(`${model}: preprocessing alone`);
  const pre = await pipe.samples({ op: 'preprocess', calls: o.iterations });
  const preprocess: Measured<LatencyStats> = failed(pre) ? pre : latencyStats(pre.samplesMs);

  const batches: [SideResult['batches'][number][], SideResult['batches'][number][]] = [[], []];
  for (const batch of o.batches) {
    progress(`${model}: batch ${batch}`);
    const results =
      batch === 1
        ? latency.map((l) => (failed(l) ? l : sequentialThroughput(l)))
        : await alternate((c) =>
            c.throughput({
              op: 'throughput',
              calls: batchCalls(o.iterations, batch),
              concurrency: 1,
              batch,
              warmup: 1,
            }),
          );
    results.forEach((result, k) => {
      batches[k]!.push({ batch, result });
    });
  }

  const layout = concurrentLayout(o.threads);
  const rows: ThroughputRow[] = [
    {
      concurrency: 1,
      sessions: 1,
      threadsPerSession: o.threads,
      result: failed(latency[1]) ? latency[1] : sequentialThroughput(latency[1]),
    },
  ];
  const levels = o.concurrency.filter((c) => c > 1);
  const rawBlock: ChildRequest = {
    op: 'throughput',
    calls: Math.max(o.iterations, 4),
    concurrency: 1,
    batch: 1,
    warmup: 0,
  };
  progress(`${model}: raw loop`);
  const rawBefore = await raw.throughput(rawBlock);
  if (levels.length > 0) {
    const switched = await pipe.request({ op: 'layout', ...layout });
    for (const concurrency of levels) {
      progress(`${model}: pipeline concurrency ${concurrency}`);
      const result: Measured<ThroughputStats> =
        'error' in switched
          ? { error: switched.error }
          : await pipe.throughput({
              op: 'throughput',
              calls: Math.max(o.iterations, 2 * concurrency),
              concurrency,
              batch: 1,
              warmup: concurrency,
            });
      rows.push({ concurrency, ...layout, result });
    }
  }
  const rawAfter = await raw.throughput(rawBlock);
  const rawLoop: Measured<ThroughputStats> = failed(rawBefore)
    ? rawBefore
    : failed(rawAfter)
      ? rawAfter
      : mergeThroughput(
          rawBefore,
          rawAfter,
          latencyStats([...rawBefore.latency.samplesMs, ...rawAfter.latency.samplesMs]),
        );

  progress(`${model}: session pool alone`);
  const poolSamples = await pipe.samples({ op: 'pool', calls: o.iterations });
  const pool: Measured<LatencyStats> = failed(poolSamples) ? poolSamples : latencyStats(poolSamples.samplesMs);

  const [rawEnd, pipeEnd] = await Promise.all([raw.finish(), pipe.finish()]);
  const side = (
    k: 0 | 1,
    c: Child,
    end: Awaited<ReturnType<Child['finish']>>,
    extra: Partial<SideResult>,
  ): SideResult => ({
    side: k === 0 ? 'raw' : 'pipeline',
    model,
    ...(c.loadMs === undefined ? {} : { loadMs: c.loadMs }),
    latency: latency[k],
    throughput: [],
    batches: batches[k],
    rss: end.rss,
    ...(end.maxRssBytes === undefined ? {} : { maxRssBytes: end.maxRssBytes }),
    notes: c.notes,
    ...(c.failed ? { error: c.failed.error } : {}),
    ...extra,
  });
  return {
    raw: side(0, raw, rawEnd, {
      throughput: [{ concurrency: 1, sessions: 1, threadsPerSession: o.threads, result: rawLoop }],
    }),
    pipeline: side(1, pipe, pipeEnd, { throughput: rows, preprocess, pool }),
  };
}

function ortVersion(): string {
  try {
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown version';
  }
}

// A one-line progress indicator on a terminal only, so redirected output stays clean.
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(60)}\r`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`models-bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
