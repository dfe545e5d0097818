/** A handle from `startTimer`; `clear()` is idempotent. */
export interface Timer {
  clear(): void;
}

/**
 * A one-shot timer through globalThis (Node and browsers), unref'd where the host supports it so a
 * scheduler's timers never keep a process alive. `live` (optional) holds it until it fires or is cleared.
 */
export function startTimer(fn: () => void, ms: number, live?: Set<Timer>): Timer {
  let handle: ReturnType<typeof globalThis.setTimeout> | undefined;
  const timer: Timer = {
    clear() {
      if (handle !== undefined) globalThis.clearTimeout(handle);
      handle = undefined;
      live?.delete(timer);
    },
  };
  handle = globalThis.setTimeout(
    () => {
      handle = undefined;
      live?.delete(timer);
      fn();
    },
    Math.max(0, Math.min(ms, 2_147_483_647)),
  );
  (handle as { unref?(): void }).unref?.();
  live?.add(timer);
  return timer;
}

export function now(): number {
  return globalThis.performance.now();
}
