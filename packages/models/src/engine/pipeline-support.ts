/**
 * What the pipelines share: reading a model file, checking it against the pipeline, saying where its
 * weights came from, starting the session pool; and pacing the work they do on the caller's thread so
 * the event loop keeps turning while many requests are in flight.
 */
import { type Device, DisposedError, InputLimitError, openDevice } from '@ocellus/core';
import { readModelFile } from './model-file.js';
import { basename } from 'node:path';
import { ModelFileError, type ModelInfo, readModelInfo } from '../onnx/model-info.js';
import type { WeightsInfo } from '../types.js';
import { type ExecutionProviderName, providerForBackend } from './providers.js';
import { LoadOnce } from './load-once.js';
import { OrtSessionPool } from './session-pool.js';
import { type FittedSignature, type PipelineTask, validateSignature } from './signature.js';

export interface EngineOptions {
  /** Sessions (worker threads) serving requests in parallel. Default 1. */
  sessions?: number;
  /** onnxruntime intra-op threads per session. Default: the cores but one, divided by the sessions (at least 1). */
  threadsPerSession?: number;
  /**
   * onnxruntime execution provider. Default: the one matching the device's backend (webgpu, cuda), else 'cpu'; one that
   * cannot be used falls back to cpu, with the reason.
   */
  executionProvider?: ExecutionProviderName;
  /**
   * Linux: raise the inference threads' nice value by this much so they yield to the caller's thread. Default 0
   * (unchanged).
   */
  niceness?: number;
  /** The most pixels an input image may have, checked from its header before decoding. Default 100 Mpx. */
  maxPixels?: number;
}

export interface LoadedModel {
  /** The file's base name, or '<buffer>': what messages call the model. */
  readonly name: string;
  readonly info: ModelInfo;
  readonly signature: FittedSignature;
  readonly weights: WeightsInfo;
  readonly pool: OrtSessionPool;
}

/** Read a model's bytes from a path (errors name the file) or take them as given. */
export async function readModelBytes(
  weights: string | Uint8Array,
): Promise<{ bytes: Uint8Array; name: string; source: string }> {
  if (typeof weights === 'string') {
    let bytes: Uint8Array;
    try {
      bytes = await readModelFile(weights);
    } catch (error) {
      if (error instanceof InputLimitError) throw new ModelFileError(error.message, { cause: error });
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
      throw new ModelFileError(`cannot read model file '${weights}': ${why}`, { cause: error });
    }
    return { bytes, name: basename(weights), source: weights };
  }
  if (!(weights instanceof Uint8Array)) {
    throw new ModelFileError(
      `model weights must be a file path or the .onnx bytes (Uint8Array), got ${typeof weights}`,
    );
  }
  return { bytes: weights, name: '<buffer>', source: '<buffer>' };
}

/** Where the weights came from: architecture-only models say so (with their seed), anything else is the user's. */
export function weightsInfo(metadata: Readonly<Record<string, string>>, source: string): WeightsInfo {
  if (metadata['ocellus.weights'] === 'architecture-only') {
    const seed = Number(metadata['ocellus.seed']);
    return {
      kind: 'architecture-only',
      source,
      ...(Number.isFinite(seed) ? { seed } : {}),
      note:
        metadata['ocellus.note'] ?? 'architecture-only: seeded random weights, not trained; outputs are meaningless',
    };
  }
  return { kind: 'user', source };
}

/**
 * Read the model (path or bytes), check that it is a complete ONNX file (`ModelFileError`) that fits
 * the pipeline (`ModelSignatureError`), then start the session pool (`ModelLoadError` when onnxruntime
 * refuses it). Nothing is started when a check fails.
 */
export async function loadModel(
  task: PipelineTask,
  weights: string | Uint8Array,
  options: EngineOptions,
  deviceBackend = 'cpu',
): Promise<LoadedModel> {
  const { bytes, name, source } = await readModelBytes(weights);
  const info = readModelInfo(bytes, name);
  const signature = validateSignature(task, info, name);
  const pool = await OrtSessionPool.create(bytes, {
    name,
    sessions: options.sessions,
    threadsPerSession: options.threadsPerSession,
    executionProvider: options.executionProvider ?? providerForBackend(deviceBackend),
    niceness: options.niceness,
  });
  return { name, info, signature, weights: weightsInfo(info.metadata, source), pool };
}

/**
 * A pipeline's model and device, loaded once on first use: opens the core device for the
 * pre-processing (`backend`), loads and checks the model with the execution provider that matches it,
 * and lets the pipeline add its own parts. A failed load may be retried; a load the pipeline is
 * disposed during is undone; `dispose()` closes the session pool and the device.
 */
export class PipelineLifecycle<L extends LoadedModel & { readonly device: Device }> extends LoadOnce<L> {
  constructor(
    what: string,
    private readonly task: PipelineTask,
    private readonly options: EngineOptions & { backend?: string; weights: string | Uint8Array },
    private readonly extend: (loaded: LoadedModel, device: Device) => L | Promise<L>,
  ) {
    super(what);
  }

  protected async load(): Promise<L> {
    const device = await openDevice(this.options.backend ?? 'auto');
    try {
      const loaded = await loadModel(this.task, this.options.weights, this.options, device.backend);
      if (this.disposed) {
        await loaded.pool.dispose();
        throw new DisposedError(`this ${this.what} was disposed while it loaded`);
      }
      try {
        return await this.extend(loaded, device);
      } catch (error) {
        await loaded.pool.dispose(); // a check in extend refused the model: no worker may stay behind
        throw error;
      }
    } catch (error) {
      await device.close();
      throw error;
    }
  }

  protected async release(loaded: L): Promise<void> {
    await loaded.pool.dispose();
    await loaded.device.close();
  }
}

// --- pacing the caller's thread -------------------------------------------------------------------

const waiting: (() => void)[] = [];
let pumping = false;

function pump(): void {
  const next = waiting.shift();
  if (waiting.length > 0) setImmediate(pump);
  else pumping = false;
  next?.();
}

/**
 * Wait for a turn on the caller's thread: at most one turn is granted per event-loop iteration, so
 * the synchronous chunks of many concurrent requests (preprocessing, decoding) are spread over
 * iterations with timers and I/O in between, instead of running back to back in one. Await it right
 * before a synchronous chunk; FIFO.
 */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
}

// --- measuring the chunks (tests, benchmarks) -------------------------------------------------------

/** How long the synchronous chunks of one kind took on the caller's thread. */
export interface HostChunkStat {
  readonly count: number;
  readonly maxMs: number;
  readonly totalMs: number;
}

let chunkStats: Map<string, { count: number; maxMs: number; totalMs: number }> | undefined;

/**
 * @internal For tests and benchmarks: start timing the labelled chunks (`hostChunk`) with `true`
 * (clearing what was there), stop with `false`; returns what was measured so far, by label.
 */
export function profileHostChunks(enable: boolean): Record<string, HostChunkStat> {
  const out = Object.fromEntries(chunkStats ?? []);
  chunkStats = enable ? new Map() : undefined;
  return out;
}

/**
 * Run one synchronous chunk of work on the caller's thread (the part between two `hostTurn()`s),
 * timed under its label when `profileHostChunks(true)` is on; a plain call otherwise.
 */
export function hostChunk<T>(label: string, work: () => T): T {
  if (chunkStats === undefined) return work();
  const t0 = performance.now();
  try {
    return work();
  } finally {
    const ms = performance.now() - t0;
    const s = chunkStats?.get(label);
    if (s) {
      s.count++;
      s.totalMs += ms;
      if (ms > s.maxMs) s.maxMs = ms;
    } else chunkStats?.set(label, { count: 1, maxMs: ms, totalMs: ms });
  }
}

/**
 * Split `count` items into runs of at most `size` (the model's fixed batch, or a memory bound), and
 * run at most `parallel` of them at once, in order; resolves with the results in order.
 */
export async function inChunks<T>(
  count: number,
  size: number,
  parallel: number,
  run: (start: number, end: number) => Promise<T>,
): Promise<T[]> {
  const starts: number[] = [];
  for (let s = 0; s < count; s += size) starts.push(s);
  const results: T[] = new Array(starts.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < starts.length) {
      const k = next++;
      try {
        results[k] = await run(starts[k], Math.min(count, starts[k] + size));
      } catch (error) {
        failed = true; // the other lanes take no new runs
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, starts.length)) }, lane));
  return results;
}
