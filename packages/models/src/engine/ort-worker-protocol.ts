/**
 * What the session pool and its inference workers (ort-worker.ts, built to dist/ort-worker.cjs) say
 * to each other. The worker `require`s onnxruntime-node by the absolute path the parent resolved, so
 * it loads the very copy the package depends on.
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
