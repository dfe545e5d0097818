import type { HostCpu } from './host-cpu.js';

/** A page knows only its thread count (tsup swaps this in for host-cpu.ts in the browser build). */
export function hostCpu(): HostCpu {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return { threads: nav?.hardwareConcurrency };
}
