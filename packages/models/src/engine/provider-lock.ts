/**
 * onnxruntime's WebGPU execution provider shares one WebGPU device among every session of the process
 * and is not safe to use from two threads at once: two sessions running at the same time in two
 * worker threads crash the process (SIGSEGV in Dawn, or std::bad_alloc; seen with OCR's three models on
 * SwiftShader, 5 of 6 runs). Workers of such a provider hold one process-wide lock around session
 * creation and run(), so their work is serialised; the cpu provider runs in parallel as before.
 */
import type { ExecutionProviderName } from './providers.js';

const SHARED_DEVICE_PROVIDERS: readonly ExecutionProviderName[] = ['webgpu'];

const KEY = Symbol.for('ocellus.models.providerLocks');
type Locks = Map<string, Int32Array>;

/** The process-wide lock of a provider whose sessions must not run concurrently, or null. */
export function providerLock(provider: ExecutionProviderName): Int32Array | null {
  if (!SHARED_DEVICE_PROVIDERS.includes(provider)) return null;
  const g = globalThis as { [KEY]?: Locks };
  const locks = (g[KEY] ??= new Map());
  let lock = locks.get(provider);
  if (!lock) locks.set(provider, (lock = new Int32Array(new SharedArrayBuffer(4))));
  return lock;
}
