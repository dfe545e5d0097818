// Helpers of the scheduler's tests (not exported by the package).
import { createFaultyBackend, type FaultyBackend } from '../../../../fixtures/ocellus-backend-faulty/index.js';
import type { Device } from '../backend/device.js';
import { grayscale, openDevice, registerBackend } from '../index.js';
import type { Lane } from './types.js';

export interface FaultyLab {
  readonly faulty: FaultyBackend;
  readonly devices: Device[];
  close(): Promise<void>;
}

let labs = 0;

/** A fresh fault-injection backend (own name) with `count` opened devices. */
export async function faultyLab(count: number, delayMs = 0): Promise<FaultyLab> {
  const name = `faulty${++labs}`;
  const faulty = createFaultyBackend({ name, devices: count, delayMs });
  registerBackend(faulty.backend);
  const devices = await Promise.all(
    Array.from({ length: count }, (_, i) => openDevice(`${name}:${i}`, { discover: false })),
  );
  return { faulty, devices, close: async () => void (await Promise.all(devices.map((d) => d.close()))) };
}

export const PIXELS = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 29 + 3) % 256);

/** Grayscale of a small image on the lane's device: the bytes, where it ran, and whether its run was abandoned. */
export async function grayJob(
  lane: Lane,
  signal: AbortSignal,
): Promise<{ bytes: Uint8Array; lane: string; aborted: boolean }> {
  const t = lane.device.tensor(PIXELS, [4, 4, 3]);
  try {
    const g = grayscale(t);
    try {
      const bytes = (await g.data()) as Uint8Array;
      return { bytes, lane: lane.id, aborted: signal.aborted };
    } finally {
      g.dispose();
    }
  } finally {
    t.dispose();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves when `fn` returns true (polled every 5 ms), rejects after `ms`. */
export async function until(fn: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = performance.now() + ms;
  while (!fn()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Whether a promise is already settled (after letting queued microtasks run). */
export async function settledNow(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return settled;
}
