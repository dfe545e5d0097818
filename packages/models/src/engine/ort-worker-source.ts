/**
 * The code of one inference worker, as a string for `new Worker(ORT_WORKER_SOURCE, { eval: true, workerData })`.
 *
 * Kept as a string (not a separate file) so it works the same from the TypeScript sources under
 * vitest, from the ESM and CJS builds and from an installed package: there is no second file to find.
 * The worker `require`s onnxruntime-node by the absolute path the parent resolved, so it loads the
 * very copy the package depends on.
 *
 * workerData: { ortPath, model (Uint8Array, transferred), executionProviders, intraOpNumThreads,
 *               interOpNumThreads, nice (Linux: raise this thread's nice value first, so it and the
 *               onnxruntime threads it creates yield to the caller's thread) }
 *
 * Messages out:  { type: 'ready', inputNames, outputNames, inputMetadata, outputMetadata }
 *                { type: 'init-error', message }
 *                { type: 'result', id, outputs: { [name]: { data: Float32Array, dims } }, inputs: ArrayBuffer[] }
 *                  (buffers transferred; `inputs` are the feeds' buffers, handed back for reuse)
 *                { type: 'run-error', id, message, inputs: ArrayBuffer[] }
 * Messages in:   { type: 'run', id, feeds: { [name]: { data: Float32Array, dims } }, spares: ArrayBuffer[] }
 *                { type: 'release' } (free the session; answered { type: 'released' }; the pool then terminates)
 *                  (buffers transferred; `spares` are output buffers the caller is done with)
 *
 * Buffers go round instead of being allocated per request: on this kind of VM first-touching a fresh
 * multi-megabyte buffer costs more page faults than the work written into it (a 4.9 MB YOLO input:
 * ~18 ms fresh, ~2 ms reused).
 *
 * The pool ends a worker with terminate(): the session's native memory is freed with the worker's
 * environment (checked: RSS stays flat over repeated create/dispose of a 64 MB model). It never does
 * so while the worker is inside onnxruntime's run(): onnxruntime-node then throws a C++ exception
 * while unwinding into a terminating environment and the whole process aborts (SIGABRT). The
 * `control` word (a SharedArrayBuffer, see run-gate.ts) says whether the worker is inside run().
 */
export interface WorkerData {
  readonly ortPath: string;
  readonly model: Uint8Array;
  readonly executionProviders: readonly string[];
  readonly intraOpNumThreads: number;
  readonly interOpNumThreads: number;
  /** Linux only: raise this worker's (and its onnxruntime threads') nice value by this much; 0 leaves it. */
  readonly nice: number;
  /** Int32Array over a SharedArrayBuffer: [0] the run gate (idle, running, closed), [1] test hook: crash. */
  readonly control: Int32Array;
  /**
   * A process-wide lock held around session creation and run() (see provider-lock.ts): set for
   * providers whose sessions share one device and must not be used from two threads at once (webgpu).
   */
  readonly providerLock: Int32Array | null;
}

export interface WorkerValueMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

export type WorkerMessage =
  | {
      readonly type: 'ready';
      readonly inputNames: string[];
      readonly outputNames: string[];
      readonly inputMetadata: WorkerValueMetadata[];
      readonly outputMetadata: WorkerValueMetadata[];
    }
  | { readonly type: 'init-error'; readonly message: string }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly outputs: Record<string, { data: Float32Array; dims: number[]; type: string }>;
      readonly inputs: ArrayBuffer[];
    }
  | { readonly type: 'run-error'; readonly id: number; readonly message: string; readonly inputs: ArrayBuffer[] }
  | { readonly type: 'released' };

export const ORT_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

function messageOf(e) {
  if (e && typeof e.message === 'string') return e.message;
  return String(e);
}

// Output buffers the caller handed back, by byte length, reused for the next outputs of that size.
const spares = new Map();
function spareOf(byteLength) {
  const list = spares.get(byteLength);
  return list && list.length ? list.pop() : undefined;
}

function toFloat32(data) {
  if (data instanceof Float32Array) {
    // outputs may view memory the binding owns: copy into a buffer of our own so it can be transferred
    const spare = spareOf(data.byteLength);
    if (!spare) return new Float32Array(data);
    const out = new Float32Array(spare);
    out.set(data);
    return out;
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

// A blocking lock is fine here: this thread does nothing else while it waits (a 50 ms timeout lets a
// terminate() in progress be noticed).
const providerLock = workerData.providerLock;
function lockProvider() {
  if (!providerLock) return;
  while (Atomics.compareExchange(providerLock, 0, 0, 1) !== 0) Atomics.wait(providerLock, 0, 1, 50);
}
function unlockProvider() {
  if (!providerLock) return;
  Atomics.store(providerLock, 0, 0);
  Atomics.notify(providerLock, 0, 1);
}

async function main() {
  let ort;
  let session;
  if (workerData.nice > 0 && process.platform === 'linux') {
    // On Linux the nice value is per thread: raising it here (pid 0 = this thread) makes this thread
    // and the onnxruntime threads it is about to create yield to the caller's thread when both want
    // a core. Elsewhere setpriority(0) would lower the whole process, so it is left alone.
    try { require('node:os').setPriority(0, workerData.nice); } catch {}
  }
  try {
    ort = require(workerData.ortPath);
    lockProvider();
    try {
      session = await ort.InferenceSession.create(workerData.model, {
        executionProviders: workerData.executionProviders,
        intraOpNumThreads: workerData.intraOpNumThreads,
        interOpNumThreads: workerData.interOpNumThreads,
        graphOptimizationLevel: 'all',
      });
    } finally {
      unlockProvider();
    }
  } catch (e) {
    parentPort.postMessage({ type: 'init-error', message: messageOf(e) });
    return;
  }
  // the session holds its own copy of the model: let this one go
  workerData.model = null;
  const plain = (m) => ({ name: m.name, isTensor: m.isTensor, type: m.type, shape: m.shape ? Array.from(m.shape) : undefined });
  parentPort.postMessage({
    type: 'ready',
    inputNames: Array.from(session.inputNames),
    outputNames: Array.from(session.outputNames),
    inputMetadata: Array.from(session.inputMetadata || [], plain),
    outputMetadata: Array.from(session.outputMetadata || [], plain),
  });

  // The gate: 0 idle, 1 inside session.run(), 2 closed (the pool is ending this worker; run nothing more).
  const control = workerData.control;
  // One request at a time: the pool never sends a second before the first is answered, but a queue
  // here keeps the worker correct even if it did.
  let chain = Promise.resolve();
  parentPort.on('message', (msg) => {
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
        parentPort.postMessage({ type: 'released' });
      });
      return;
    }
    if (msg.type !== 'run') return;
    for (const b of msg.spares || []) {
      const list = spares.get(b.byteLength) || [];
      if (list.length < 4) list.push(b);
      spares.set(b.byteLength, list);
    }
    // the feeds' buffers go back with the answer: ORT is done with them once run() settles
    const inputs = [...new Set(Object.values(msg.feeds).map((f) => f.data.buffer))];
    chain = chain.then(async () => {
      let outputs;
      try {
        const feeds = {};
        for (const name of Object.keys(msg.feeds)) {
          const f = msg.feeds[name];
          feeds[name] = new ort.Tensor('float32', f.data, f.dims);
        }
        let result;
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
        outputs = {};
        const transfer = [];
        for (const name of Object.keys(result)) {
          const t = result[name];
          const data = toFloat32(t.data);
          outputs[name] = { data, dims: Array.from(t.dims, Number), type: t.type };
          transfer.push(data.buffer);
          if (typeof t.dispose === 'function') t.dispose();
        }
        parentPort.postMessage({ type: 'result', id: msg.id, outputs, inputs }, [...transfer, ...inputs]);
      } catch (e) {
        parentPort.postMessage({ type: 'run-error', id: msg.id, message: messageOf(e), inputs }, inputs);
      }
    });
  });
}

main();
`;
