/**
 * A pool of onnxruntime-node sessions, each in its own worker thread, so inference never blocks the
 * caller's event loop (onnxruntime-node's own `run()` computes on the calling thread). Requests queue
 * FIFO when every session is busy. A worker that dies rejects its request with `WorkerCrashError` and
 * is replaced; if the replacement cannot start the pool says it is broken and refuses work.
 * A worker is never ended while it is inside onnxruntime's run() (that aborts the process: see
 * run-gate.ts): dispose() rejects every request at once and ends each worker when its run returns.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DisposedError, errorClass } from '@ocellus/core';
import type { WorkerData, WorkerMessage, WorkerValueMetadata } from './ort-worker-protocol.js';
import { ortWorkerFile } from './worker-entry.js';
import { readModelFile } from './model-file.js';
import { providerLock } from './provider-lock.js';
import { closeRunGate, crashAfterRun, createRunGate, guardAtExit, releaseAtExit } from './run-gate.js';
import {
  chooseProvider,
  type ExecutionProviderName,
  type ProviderChoice,
  resolveOrtPath,
  shortOrtError,
} from './providers.js';

/** A float32 tensor crossing to or from a worker: values and dims. */
export interface TensorData {
  data: Float32Array;
  dims: number[];
}

export type Feeds = Record<string, TensorData>;

export interface SessionPoolOptions {
  /** Sessions (worker threads) serving requests in parallel. Default 1. */
  sessions?: number;
  /** onnxruntime intra-op threads per session. Default: the cores divided by the sessions (at least 1). */
  threadsPerSession?: number;
  /** Default 'cpu'. One that cannot be used falls back to cpu; `pool.provider.fallbackReason` says why. */
  executionProvider?: ExecutionProviderName;
  /**
   * Linux: how much to raise the nice value of the inference threads (default 0: left alone, the
   * library changes no priority unasked). With 5, say, they yield a core to the caller's thread when
   * both want one, so preprocessing, decoding and timers on the event loop are not starved while the
   * sessions compute; inference still takes every idle core. Ignored elsewhere (there it would lower
   * the priority of the whole process).
   */
  niceness?: number;
  /** The model's name in error messages (default: the file's base name, or '<buffer>'). */
  name?: string;
}

/** An inference request failed: a feed that does not fit the model, or onnxruntime refused it. */
export const InferenceError = errorClass('InferenceError', 'ERR_OCELLUS_INFERENCE');
export type InferenceError = InstanceType<typeof InferenceError>;

/** A worker thread died (or was killed) while it held a request, or the pool cannot start workers. */
export const WorkerCrashError = errorClass('WorkerCrashError', 'ERR_OCELLUS_WORKER_CRASH');
export type WorkerCrashError = InstanceType<typeof WorkerCrashError>;

/** onnxruntime could not create a session from the model (any provider, cpu included). */
export const ModelLoadError = errorClass('ModelLoadError', 'ERR_OCELLUS_MODEL_LOAD');
export type ModelLoadError = InstanceType<typeof ModelLoadError>;

interface Pending {
  readonly id: number;
  readonly feeds: Feeds;
  readonly resolve: (outputs: Record<string, TensorData>) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  gate: Int32Array;
  current: Pending | undefined;
  /** Set when the pool itself ends the worker (dispose), so its exit is not a crash. */
  leaving: boolean;
  lastError: Error | undefined;
}

interface Started {
  worker: Worker;
  gate: Int32Array;
  ready: Extract<WorkerMessage, { type: 'ready' }>;
}

/** Inference threads keep their priority unless asked (see SessionPoolOptions.niceness). */
const DEFAULT_NICENESS = 0;

/** How many replacements in a row may fail to start before the pool calls itself broken. */
const MAX_RESPAWN_FAILURES = 2;

export class OrtSessionPool {
  readonly provider: ProviderChoice;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly WorkerValueMetadata[];
  readonly outputMetadata: readonly WorkerValueMetadata[];
  /** The model's name in messages. */
  readonly name: string;
  readonly sessions: number;
  readonly threadsPerSession: number;
  /** How much the inference threads' nice value is raised (Linux). */
  readonly niceness: number;

  readonly #model: Uint8Array;
  readonly #ortPath: string;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  /** Feed buffers the workers handed back, and output buffers callers released: reused, not reallocated. */
  readonly #inputSpares: ArrayBuffer[] = [];
  readonly #outputSpares: ArrayBuffer[] = [];
  #nextId = 1;
  #disposed = false;
  #broken: string | undefined;
  #respawnFailures = 0;
  #respawning = 0;

  private constructor(init: {
    model: Uint8Array;
    ortPath: string;
    name: string;
    provider: ProviderChoice;
    sessions: number;
    threads: number;
    niceness: number;
    first: Started[];
  }) {
    this.niceness = init.niceness;
    this.#model = init.model;
    this.#ortPath = init.ortPath;
    this.name = init.name;
    this.provider = init.provider;
    this.sessions = init.sessions;
    this.threadsPerSession = init.threads;
    const ready = init.first[0].ready;
    this.inputNames = ready.inputNames;
    this.outputNames = ready.outputNames;
    this.inputMetadata = ready.inputMetadata;
    this.outputMetadata = ready.outputMetadata;
    for (const s of init.first) this.#adopt(s);
  }

  /**
   * Start `sessions` workers, each with its own onnxruntime session of the model. Resolves when all
   * are ready. A provider other than cpu whose session cannot be created falls back to cpu, with the
   * error as `provider.fallbackReason`; a model cpu cannot load either raises `ModelLoadError`.
   * Bytes given as a Uint8Array are kept (not copied) to start replacement workers: do not modify them.
   */
  static async create(model: string | Uint8Array, options: SessionPoolOptions = {}): Promise<OrtSessionPool> {
    const name = options.name ?? (typeof model === 'string' ? basename(model) : '<buffer>');
    let bytes: Uint8Array;
    try {
      bytes = typeof model === 'string' ? await readModelFile(model) : model;
    } catch (error) {
      throw new ModelLoadError(`'${name}': cannot read the model file: ${(error as Error).message}`, { cause: error });
    }
    const sessions = checkCount(
      'sessions',
      options.sessions ?? 1,
      maxSessions(),
      'each holds its own copy of the model',
    );
    const threads = checkCount(
      'threadsPerSession',
      options.threadsPerSession ?? defaultThreads(sessions),
      maxThreads(),
      'more threads than cores only add contention',
    );
    const niceness = Math.max(0, Math.min(19, Math.floor(options.niceness ?? DEFAULT_NICENESS)));
    const ortPath = resolveOrtPath();
    let provider = chooseProvider(options.executionProvider);

    const startAll = async (ep: ExecutionProviderName): Promise<Started[]> => {
      const results = await Promise.allSettled(
        Array.from({ length: sessions }, () => startWorker(ortPath, bytes, ep, threads, niceness)),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        await Promise.all(results.map((r) => (r.status === 'fulfilled' ? endWorker(r.value) : undefined)));
        throw failed.reason;
      }
      return results.map((r) => (r as PromiseFulfilledResult<Started>).value);
    };

    let first: Started[];
    try {
      first = await startAll(provider.name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (provider.name === 'cpu' || error instanceof WorkerCrashError) {
        throw loadError(name, provider.name, message, error);
      }
      const fallbackReason = `${provider.name}: session creation failed (${shortOrtError(message)}): using cpu`;
      provider = { name: 'cpu', requested: provider.requested, fallbackReason };
      try {
        first = await startAll('cpu');
      } catch (cpuError) {
        throw loadError(name, 'cpu', cpuError instanceof Error ? cpuError.message : String(cpuError), cpuError);
      }
    }
    return new OrtSessionPool({ model: bytes, ortPath, name, provider, sessions, threads, niceness, first });
  }

  /** Requests waiting for a free session. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Requests being computed now. */
  get busy(): number {
    return this.#slots.filter((s) => s.current).length;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Why the pool refuses work after workers died and could not be replaced; undefined when healthy. */
  get broken(): string | undefined {
    return this.#broken;
  }

  /**
   * Run the model once. Feeds are float32 tensors by input name; their buffers are transferred to the
   * worker (the caller's arrays are detached when they own their whole buffer; otherwise copied).
   * Queues FIFO when every session is busy.
   */
  run(feeds: Feeds): Promise<Record<string, TensorData>> {
    if (this.#disposed) {
      return Promise.reject(new DisposedError(`session pool of '${this.name}' is disposed; create a new one`));
    }
    if (this.#broken) return Promise.reject(new WorkerCrashError(this.#broken));
    try {
      this.#checkFeeds(feeds);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, feeds, resolve, reject });
      this.#pump();
    });
  }

  /**
   * A float32 array of `length` values for a feed: a buffer a worker handed back after an earlier run
   * when one of that size is free, otherwise a new one (contents undefined: write every value). Fresh
   * multi-megabyte buffers cost page faults on first touch; reused ones do not.
   */
  inputBuffer(length: number): Float32Array {
    const bytes = length * 4;
    const i = this.#inputSpares.findIndex((b) => b.byteLength === bytes);
    return i < 0 ? new Float32Array(length) : new Float32Array(this.#inputSpares.splice(i, 1)[0]!);
  }

  /**
   * Gives the buffers of run() outputs back (the caller must not use them afterwards): the next outputs of that size
   * are copied into them.
   */
  release(outputs: Readonly<Record<string, TensorData>>): void {
    for (const { data } of Object.values(outputs)) {
      const b = data.buffer;
      if (!(b instanceof ArrayBuffer) || b.byteLength === 0 || data.byteLength !== b.byteLength) continue;
      if (!this.#outputSpares.includes(b)) keepSpare(this.#outputSpares, b);
    }
  }

  /**
   * End every worker. Requests still queued or running reject with DisposedError at once; the promise
   * resolves when every worker has ended (a worker inside a run is ended when that run returns).
   * Idempotent.
   */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = () => new DisposedError(`session pool of '${this.name}' was disposed before the request ran`);
    for (const p of this.#queue.splice(0)) p.reject(error());
    const ends: Promise<void>[] = [];
    for (const slot of this.#slots) {
      slot.leaving = true;
      if (slot.current) {
        slot.current.reject(error());
        slot.current = undefined;
      }
      ends.push(endWorker(slot));
    }
    this.#slots.length = 0;
    this.#inputSpares.length = 0;
    this.#outputSpares.length = 0;
    await Promise.all(ends);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /**
   * @internal For tests: one worker dies as a crash would, right after its current (or next) run: its
   * request rejects with WorkerCrashError and the pool replaces it.
   */
  _killWorker(index = 0): void {
    const slot = this.#slots[index];
    if (slot) crashAfterRun(slot.gate);
  }

  #checkFeeds(feeds: Feeds): void {
    const names = Object.keys(feeds);
    const missing = this.inputNames.filter((n) => !(n in feeds));
    const unknown = names.filter((n) => !this.inputNames.includes(n));
    if (missing.length > 0 || unknown.length > 0) {
      throw new InferenceError(
        `'${this.name}': feeds [${names.join(', ')}] do not match the model's inputs [${this.inputNames.join(', ')}]` +
          (missing.length ? `; missing ${missing.map((n) => `'${n}'`).join(', ')}` : '') +
          (unknown.length ? `; unknown ${unknown.map((n) => `'${n}'`).join(', ')}` : ''),
      );
    }
    for (const name of names) {
      const { data, dims } = feeds[name];
      if (!(data instanceof Float32Array)) {
        throw new InferenceError(`'${this.name}': feed '${name}' must be a Float32Array`);
      }
      if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new InferenceError(`'${this.name}': feed '${name}' has invalid dims [${String(dims)}]`);
      }
      const size = dims.reduce((a, b) => a * b, 1);
      if (size !== data.length) {
        throw new InferenceError(
          `'${this.name}': feed '${name}' has ${data.length} values but dims [${dims.join(',')}] need ${size}`,
        );
      }
      const meta = this.inputMetadata.find((m) => m.name === name);
      if (meta?.shape) {
        const rankOk = meta.shape.length === dims.length;
        const dimsOk = rankOk && meta.shape.every((d, i) => typeof d !== 'number' || d === dims[i]);
        if (!dimsOk) {
          throw new InferenceError(
            `'${this.name}': feed '${name}' has dims [${dims.join(',')}] but the model's input is [` +
              `${meta.shape.join(',')}]`,
          );
        }
      }
    }
  }

  #adopt({ worker, gate }: Started): Slot {
    const slot: Slot = { worker, gate, current: undefined, leaving: false, lastError: undefined };
    worker.on('message', (msg: WorkerMessage) => this.#onMessage(slot, msg));
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => this.#onExit(slot, code));
    // an idle worker does not keep the process alive (a script that forgets dispose() still exits);
    // one with a request does, until it answers
    worker.unref();
    this.#slots.push(slot);
    return slot;
  }

  #onMessage(slot: Slot, msg: WorkerMessage): void {
    const pending = slot.current;
    if (!pending) return;
    if ((msg.type === 'result' || msg.type === 'run-error') && msg.id === pending.id) {
      slot.worker.unref();
      for (const b of msg.inputs ?? []) keepSpare(this.#inputSpares, b);
    }
    if (msg.type === 'result' && msg.id === pending.id) {
      slot.current = undefined;
      this.#respawnFailures = 0;
      pending.resolve(msg.outputs);
    } else if (msg.type === 'run-error' && msg.id === pending.id) {
      slot.current = undefined;
      pending.reject(new InferenceError(`'${this.name}': onnxruntime refused the run: ${msg.message}`));
    } else {
      return;
    }
    this.#pump();
  }

  #onExit(slot: Slot, code: number): void {
    releaseAtExit(slot.gate);
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
    if (slot.leaving || this.#disposed) return;
    const why = slot.lastError ? `: ${slot.lastError.message}` : '';
    if (slot.current) {
      const p = slot.current;
      slot.current = undefined;
      p.reject(
        new WorkerCrashError(`'${this.name}': the inference worker exited (code ${code}) during the run${why}`, {
          cause: slot.lastError,
        }),
      );
    }
    this.#respawn(`the inference worker exited (code ${code})${why}`);
  }

  #respawn(reason: string): void {
    if (this.#disposed || this.#broken) return;
    this.#respawning++;
    Promise.resolve()
      .then(() => startWorker(this.#ortPath, this.#model, this.provider.name, this.threadsPerSession, this.niceness))
      .then(
        (started) => {
          this.#respawning--;
          if (this.#disposed) {
            void endWorker(started);
            return;
          }
          this.#adopt(started);
          this.#pump();
        },
        (error: unknown) => {
          this.#respawning--;
          this.#respawnFailures++;
          const message = error instanceof Error ? error.message : String(error);
          if (this.#respawnFailures <= MAX_RESPAWN_FAILURES) {
            this.#respawn(`${reason}; replacing it failed: ${message}`);
            return;
          }
          if (this.#slots.length === 0 && this.#respawning === 0) {
            this.#breakPool(`session pool of '${this.name}' is broken: ${reason}; replacing it failed: ${message}`);
          }
        },
      );
  }

  #breakPool(reason: string): void {
    this.#broken = reason;
    for (const p of this.#queue.splice(0)) p.reject(new WorkerCrashError(reason));
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.current || slot.leaving) continue;
      const next = this.#queue.shift() as Pending;
      slot.current = next;
      slot.worker.ref();
      const feeds: Feeds = {};
      const transfer: ArrayBuffer[] = [];
      for (const [name, { data, dims }] of Object.entries(next.feeds)) {
        const own =
          data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
        const sent = own ? data : new Float32Array(data);
        feeds[name] = { data: sent, dims: [...dims] };
        if (!transfer.includes(sent.buffer as ArrayBuffer)) transfer.push(sent.buffer as ArrayBuffer);
      }
      const spares = this.#outputSpares.splice(0);
      try {
        slot.worker.postMessage({ type: 'run', id: next.id, feeds, spares }, [...transfer, ...spares]);
      } catch (error) {
        slot.current = undefined;
        next.reject(new InferenceError(`'${this.name}': could not send the feeds to the worker`, { cause: error }));
      }
    }
  }
}

/** An engine option (sessions, threads) is not a whole number in its range. */
export const EngineOptionError = errorClass('EngineOptionError', 'ERR_OCELLUS_ENGINE_OPTION');
export type EngineOptionError = InstanceType<typeof EngineOptionError>;

/** At most as many sessions as cores (at least 4, at most 64): each is a worker with its own model copy. */
export function maxSessions(cores = availableParallelism()): number {
  return Math.min(64, Math.max(4, cores));
}

/** At most as many intra-op threads per session as cores (at least 4, at most 256). */
export function maxThreads(cores = availableParallelism()): number {
  return Math.min(256, Math.max(4, cores));
}

function checkCount(name: string, value: unknown, max: number, why: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EngineOptionError(
      `${name} must be a whole number from 1 to ${max} on this machine (${availableParallelism()} cores; ${why}), ` +
        `got ${String(value)}`,
    );
  }
  return value;
}

/** Intra-op threads per session when not given: the cores shared among the sessions, at least 1. */
export function defaultThreads(sessions: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, sessions)));
}

function loadError(name: string, provider: string, message: string, cause: unknown): ModelLoadError {
  return new ModelLoadError(
    `'${name}': onnxruntime could not create a session (${provider}): ${shortOrtError(message)}`,
    { cause },
  );
}

/** Start one worker with its own session; resolves when the session is ready. */
function startWorker(
  ortPath: string,
  model: Uint8Array,
  provider: ExecutionProviderName,
  threads: number,
  niceness: number,
): Promise<Started> {
  // a copy of its own for each worker (transferred, so the pool's bytes stay intact; Buffer#slice
  // would be a view, hence the explicit copy)
  const copy = new Uint8Array(model.byteLength);
  copy.set(model);
  const gate = createRunGate();
  guardAtExit(gate);
  const workerData: WorkerData = {
    control: gate,
    providerLock: providerLock(provider),
    ortPath,
    model: copy,
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    nice: niceness,
  };
  const worker = new Worker(ortWorkerFile(), {
    workerData,
    transferList: [copy.buffer as ArrayBuffer],
  });
  return new Promise<Started>((resolve, reject) => {
    let lastError: Error | undefined;
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: WorkerMessage) => {
      if (msg.type === 'ready') {
        cleanup();
        resolve({ worker, gate, ready: msg });
      } else if (msg.type === 'init-error') {
        cleanup();
        void endWorker({ worker, gate });
        reject(new Error(msg.message));
      }
    };
    const onError = (error: Error) => {
      lastError = error;
    };
    const onExit = (code: number) => {
      cleanup();
      releaseAtExit(gate);
      reject(
        new WorkerCrashError(
          `the inference worker exited (code ${code}) before its session was ready` +
            `${lastError ? `: ${lastError.message}` : ''}`,
          { cause: lastError },
        ),
      );
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** How long a worker may take to free its session before it is terminated anyway. */
const RELEASE_WAIT_MS = 5000;

/**
 * End a worker once it is out of onnxruntime's run() (see run-gate.ts), after it freed its session
 * itself (under the provider lock, so WebGPU sessions are never freed by two threads at once).
 */
async function endWorker({ worker, gate }: { worker: Worker; gate: Int32Array }): Promise<void> {
  await closeRunGate(gate);
  await new Promise<void>((done) => {
    const finish = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', finish);
      done();
    };
    const onMessage = (msg: WorkerMessage) => {
      if (msg.type === 'released') finish();
    };
    const timer = setTimeout(finish, RELEASE_WAIT_MS);
    worker.on('message', onMessage);
    worker.on('exit', finish);
    try {
      worker.postMessage({ type: 'release' });
    } catch {
      finish();
    }
  });
  await worker.terminate();
  releaseAtExit(gate);
}

/** At most a few spare buffers per list (a pool serves a few sizes: batch 1, the best batch); the oldest goes first. */
const MAX_SPARES = 4;
function keepSpare(list: ArrayBuffer[], buffer: ArrayBuffer): void {
  list.push(buffer);
  if (list.length > MAX_SPARES) list.shift();
}
