import { pipelineRunner } from './models-pipeline.js';
import { rawRunner } from './models-raw.js';
import { type ChildAnswer, type ChildRequest, type SideRunner, type SideSpec, firstLine } from './models-side.js';
import { throughput, timeEach } from './models-stats.js';

/**
 * A child process of the models benchmark: loads one side of one model, then times what the parent
 * asks, one request at a time, and answers over the IPC channel. The parent alternates its requests
 * between the raw child and the pipeline child, so both see the same state of a shared machine, while
 * each side's memory stays in its own process.
 */
export async function serveChild(rawSpec: string): Promise<number> {
  const send = (answer: ChildAnswer) => new Promise<void>((done) => process.send!(answer, () => done()));
  const spec = JSON.parse(rawSpec) as SideSpec;
  let runner: SideRunner;
  try {
    runner = spec.side === 'raw' ? await rawRunner(spec) : await pipelineRunner(spec);
  } catch (err) {
    await send({ error: `${spec.side} ${spec.model}: ${firstLine(err)}` });
    process.disconnect(); // the open IPC channel would keep this process alive
    return 1;
  }
  const device = runner.deviceMemory?.()?.device;
  await send({
    ok: 'ready',
    loadMs: runner.loadMs,
    ...(runner.coldMs === undefined ? {} : { coldMs: runner.coldMs }),
    ...(device === undefined ? {} : { device }),
    notes: runner.notes,
  });
  for await (const request of requests()) {
    if (request.op === 'finish') {
      await runner.dispose();
      await send({ ok: 'finished', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
      process.disconnect();
      return 0;
    }
    try {
      await send(await handle(runner, request));
    } catch (err) {
      await send({ error: firstLine(err) });
    }
  }
  return 0;
}

async function handle(runner: SideRunner, r: Exclude<ChildRequest, { op: 'finish' }>): Promise<ChildAnswer> {
  if (r.op === 'latency') {
    const stats = await timeEach(() => runner.once(), r.calls, r.warmup);
    return { ok: 'latency', samplesMs: [...stats.samplesMs] };
  }
  if (r.op === 'throughput') {
    const fn = r.batch === 1 ? () => runner.once() : () => runner.batch(r.batch);
    return {
      ok: 'throughput',
      stats: await throughput(fn, { calls: r.calls, concurrency: r.concurrency, batch: r.batch, warmup: r.warmup }),
    };
  }
  if (r.op === 'cell') return cell(runner, r);
  if (r.op === 'layout') {
    if (!runner.setLayout) throw new Error('this side has one layout');
    await runner.setLayout(r.sessions, r.threadsPerSession);
    return { ok: 'done' };
  }
  if (r.op === 'pool') {
    if (!runner.poolOnly) throw new Error('this side has no session pool');
    return { ok: 'latency', samplesMs: await runner.poolOnly(r.calls) };
  }
  if (!runner.preprocess) throw new Error('this side has no preprocessing');
  const preprocess = runner.preprocess;
  const stats = await timeEach(async () => preprocess(), r.calls, 1);
  return { ok: 'latency', samplesMs: [...stats.samplesMs] };
}

/**
 * One cell of the benchmark: warm-up calls, then `calls` calls (or as many as fit in `durationMs`) with
 * `concurrency` in flight, and on the pipeline's side its device's memory: allocatedBytes sampled every
 * 100 ms (in this process: preprocessing runs between the model's awaits, so the timer gets turns), and
 * the upload/download counters' deltas over the timed calls.
 */
export async function cell(runner: SideRunner, r: Extract<ChildRequest, { op: 'cell' }>): Promise<ChildAnswer> {
  const fn = r.batch === 1 ? () => runner.once() : () => runner.batch(r.batch);
  if (r.warmup > 0) await throughput(fn, { calls: r.warmup, concurrency: r.concurrency, batch: r.batch });
  const before = runner.deviceMemory?.();
  let peak = before?.counters.allocatedBytes ?? 0;
  let samples = 0;
  const take = () => {
    const m = runner.deviceMemory?.();
    if (!m) return;
    samples++;
    peak = Math.max(peak, m.counters.allocatedBytes);
  };
  const timer = before ? setInterval(take, 100) : undefined;
  const stats = await throughput(fn, {
    calls: r.calls,
    concurrency: r.concurrency,
    batch: r.batch,
    ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
  });
  if (timer) clearInterval(timer);
  take();
  const after = runner.deviceMemory?.();
  if (!before || !after) return { ok: 'cell', stats };
  const d = (k: 'uploads' | 'downloads' | 'uploadBytes' | 'downloadBytes') => after.counters[k] - before.counters[k];
  return {
    ok: 'cell',
    stats,
    device: {
      device: after.device,
      sampledPeakBytes: peak,
      contextPeakBytes: after.counters.peakBytes,
      samples,
      uploads: d('uploads'),
      downloads: d('downloads'),
      uploadBytes: d('uploadBytes'),
      downloadBytes: d('downloadBytes'),
    },
  };
}

/** The parent's requests, in order. */
async function* requests(): AsyncGenerator<ChildRequest> {
  const queue: ChildRequest[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  process.on('message', (m: ChildRequest) => {
    queue.push(m);
    wake?.();
  });
  process.on('disconnect', () => {
    closed = true;
    wake?.();
  });
  for (;;) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (closed) return;
    await new Promise<void>((r) => {
      wake = r;
    });
    wake = undefined;
  }
}
