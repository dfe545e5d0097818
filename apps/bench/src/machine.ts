import { cpus, loadavg } from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly date: string;
  /** 1-minute load average at the end of the run: well above `cores` means the times are inflated. */
  readonly load: number;
}

/** What the numbers were measured on: without it a time means little. */
export function machine(now = new Date()): Machine {
  const info = cpus();
  return {
    cpu: info[0]?.model.trim() || 'unknown CPU',
    cores: info.length,
    node: process.version,
    date: now.toISOString(),
    load: loadavg()[0]!,
  };
}

export function machineLine(m: Machine): string {
  return `machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date} (load average ${m.load.toFixed(2)})`;
}
