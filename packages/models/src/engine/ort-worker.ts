/**
 * One inference worker: an onnxruntime session in its own thread (see ort-worker-protocol.ts for the
 * messages, session-pool.ts for the parent). Built on its own to dist/ort-worker.cjs.
 */
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort, workerData as rawData } from 'node:worker_threads';
import type { WorkerData, WorkerValueMetadata } from './ort-worker-protocol.js';

/** The part of onnxruntime-node's API the worker uses (loaded by path at run time). */
interface OrtTensor {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
  readonly type: string;
  dispose?(): void;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly OrtMetadata[];
  readonly outputMetadata?: readonly OrtMetadata[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
}

type InMessage =
  | { type: 'run'; id: number; feeds: Record<string, { data: Float32Array; dims: number[] }>; spares?: ArrayBuffer[] }
  | { type: 'release' };

const data = rawData as Omit<WorkerData, 'model'> & { model: Uint8Array | null };
const port = parentPort!;

function messageOf(e: unknown): string {
  return e instanceof Error
    ? e.message
    : typeof (e as { message?: unknown })?.message === 'string'
      ? (e as Error).message
      : String(e);
}

// Output buffers the caller handed back, by byte length, reused for the next outputs of that size.
const spares = new Map<number, ArrayBuffer[]>();
function spareOf(byteLength: number): ArrayBuffer | undefined {
  return spares.get(byteLength)?.pop();
}

function toFloat32(values: ArrayLike<number | bigint>): Float32Array {
  if (values instanceof Float32Array) {
    // outputs may view memory the binding owns: copy into a buffer of our own so it can be transferred
    const spare = spareOf(values.byteLength);
    if (!spare) return new Float32Array(values);
    const out = new Float32Array(spare);
    out.set(values);
    return out;
  }
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

// The provider lock (provider-lock.ts). A blocking wait is fine: this thread does nothing else while it
// waits, and the 50 ms timeout lets a terminate() in progress be noticed.
const providerLock = data.providerLock;
function lockProvider(): void {
  if (!providerLock) return;
  while (Atomics.compareExchange(providerLock, 0, 0, 1) !== 0) Atomics.wait(providerLock, 0, 1, 50);
}
function unlockProvider(): void {
  if (!providerLock) return;
  Atomics.store(providerLock, 0, 0);
  Atomics.notify(providerLock, 0, 1);
}

async function main(): Promise<void> {
  if (data.nice > 0 && process.platform === 'linux') {
    // On Linux the nice value is per thread: raising it here (pid 0 = this thread) makes this thread
    // and the onnxruntime threads it is about to create yield to the caller's thread when both want
    // a core. Elsewhere setpriority(0) would lower the whole process, so it is left alone.
    try {
      setPriority(0, data.nice);
    } catch {
      // not permitted: run at the normal priority
    }
  }
  let ort: Ort;
  let session: OrtSession;
  try {
    ort = createRequire(__filename)(data.ortPath) as Ort;
    lockProvider();
    try {
      session = await ort.InferenceSession.create(data.model as Uint8Array, {
        executionProviders: data.executionProviders,
        intraOpNumThreads: data.intraOpNumThreads,
        interOpNumThreads: data.interOpNumThreads,
        graphOptimizationLevel: 'all',
        // errors only: onnxruntime's warnings ("Some nodes were not assigned to the preferred execution
        // providers...") went to stderr on every run of a WebGPU session; failures reach us as exceptions
        logSeverityLevel: 3,
      });
    } finally {
      unlockProvider();
    }
  } catch (e) {
    port.postMessage({ type: 'init-error', message: messageOf(e) });
    return;
  }
  // the session holds its own copy of the model: let this one go
  data.model = null;
  const plain = (m: OrtMetadata): WorkerValueMetadata => ({
    name: m.name,
    isTensor: m.isTensor,
    type: m.type,
    shape: m.shape ? Array.from(m.shape) : undefined,
  });
  port.postMessage({
    type: 'ready',
    inputNames: Array.from(session.inputNames),
    outputNames: Array.from(session.outputNames),
    inputMetadata: Array.from(session.inputMetadata ?? [], plain),
    outputMetadata: Array.from(session.outputMetadata ?? [], plain),
  });

  // The run gate (run-gate.ts): 0 idle, 1 inside session.run(), 2 closed (the pool is ending this worker).
  const control = data.control;
  // One request at a time: the pool never sends a second before the first is answered, but a queue
  // here keeps the worker correct even if it did.
  let chain = Promise.resolve();
  port.on('message', (msg: InMessage) => {
    if (msg.type === 'release') {
      // before terminate(): free the session here, under the provider lock, after any queued run (two
      // WebGPU sessions freed at once by two terminating workers corrupted the heap: "double free")
      chain = chain.then(async () => {
        lockProvider();
        try {
          await session.release();
        } catch {
          // ending anyway
        } finally {
          unlockProvider();
        }
        port.postMessage({ type: 'released' });
      });
      return;
    }
    if (msg.type !== 'run') return;
    for (const b of msg.spares ?? []) {
      const list = spares.get(b.byteLength) ?? [];
      if (list.length < 4) list.push(b);
      spares.set(b.byteLength, list);
    }
    // the feeds' buffers go back with the answer: ORT is done with them once run() settles
    const inputs = [...new Set(Object.values(msg.feeds).map((f) => f.data.buffer as ArrayBuffer))];
    chain = chain.then(async () => {
      try {
        const feeds: Record<string, OrtTensor> = {};
        for (const [name, f] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor('float32', f.data, f.dims);
        let result: Record<string, OrtTensor>;
        lockProvider();
        try {
          if (Atomics.compareExchange(control, 0, 0, 1) !== 0) throw new Error('the session is closing');
          try {
            result = await session.run(feeds);
          } finally {
            // test hook (_killWorker): die here, with the request unanswered, as a crashing worker would
            if (Atomics.load(control, 1) === 1) process.exit(70);
            Atomics.store(control, 0, 0);
            Atomics.notify(control, 0);
          }
        } finally {
          unlockProvider();
        }
        const outputs: Record<string, { data: Float32Array; dims: number[]; type: string }> = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, t] of Object.entries(result)) {
          const values = toFloat32(t.data);
          outputs[name] = { data: values, dims: Array.from(t.dims, Number), type: t.type };
          transfer.push(values.buffer as ArrayBuffer);
          t.dispose?.();
        }
        port.postMessage({ type: 'result', id: msg.id, outputs, inputs }, [...transfer, ...inputs]);
      } catch (e) {
        port.postMessage({ type: 'run-error', id: msg.id, message: messageOf(e), inputs }, inputs);
      }
    });
  });
}

void main();
