import { cpus, totalmem } from 'node:os';

export interface HostCpu {
  readonly model?: string;
  readonly threads?: number;
  readonly memoryBytes?: number;
}

/** What the host says about its CPU (the browser build has host-cpu.browser.ts instead). */
export function hostCpu(): HostCpu {
  const info = cpus();
  return { model: info[0]?.model.trim(), threads: info.length, memoryBytes: totalmem() };
}
