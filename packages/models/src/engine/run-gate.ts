/**
 * The run gate: one word shared with an inference worker that says whether it is inside
 * onnxruntime's `session.run()`. Ending a worker there (`worker.terminate()`, or Node ending every
 * worker on `process.exit()`) aborts the whole process: onnxruntime-node throws a C++ exception while
 * it unwinds into a terminating environment ("terminate called after throwing an instance of
 * 'Napi::Error'"). So the pool closes the gate first (the worker then starts no further run) and ends
 * the worker only once it is out of run(); at process exit the same is done synchronously.
 *
 * Word 0: IDLE, RUNNING (set by the worker around run()) or CLOSED (set by the pool, only from IDLE).
 * Word 1: a test hook: 1 makes the worker exit as a crash would right after its run (see _killWorker).
 */
const IDLE = 0;
const RUNNING = 1;
const CLOSED = 2;

/** How long `process.exit()` waits for runs in flight before Node ends the workers anyway. */
const EXIT_WAIT_MS = 30_000;

// Atomics.waitAsync is in Node 16+ but in TypeScript's lib only from es2024.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export function createRunGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

/** Close the gate, waiting (without blocking the event loop) while the worker is inside run(). */
export async function closeRunGate(gate: Int32Array): Promise<void> {
  while (Atomics.compareExchange(gate, 0, IDLE, CLOSED) === RUNNING) {
    const wait = waitAsync(gate, 0, RUNNING);
    if (wait.async) await wait.value;
  }
}

/** Ask the worker to die, as a crash would, right after its current or next run (tests only). */
export function crashAfterRun(gate: Int32Array): void {
  Atomics.store(gate, 1, 1);
}

// Gates of every live worker of every pool in the process: at exit, each is closed before Node ends
// the workers. The listener is there only while some worker lives.
const live = new Set<Int32Array>();

function closeAllAtExit(): void {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (const gate of live) {
    while (Atomics.compareExchange(gate, 0, IDLE, CLOSED) === RUNNING) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(gate, 0, RUNNING, left);
    }
  }
}

/** Guard a worker's gate at process exit until `release()`. */
export function guardAtExit(gate: Int32Array): void {
  if (live.size === 0) process.on('exit', closeAllAtExit);
  live.add(gate);
}

export function releaseAtExit(gate: Int32Array): void {
  if (live.delete(gate) && live.size === 0) process.off('exit', closeAllAtExit);
}
