import { execFile } from 'node:child_process';
import { swiftShaderEnv } from '@ocellus/backend-webgpu';
import { CHAINS, type ChainTiming } from './chains.js';

/** The backends whose chains `pnpm bench` compares, each in a process of its own. */
export const CHAIN_BACKENDS = ['cpu', 'vulkan', 'webgpu'] as const;

export interface ChainCell {
  readonly chain: string;
  readonly title: string;
  readonly backend: string;
  readonly status: 'ok' | 'n/a' | 'error';
  /** The device that ran it, e.g. 'vulkan:0 llvmpipe (LLVM 15.0.6, 256 bits)'. */
  readonly device?: string;
  readonly timing?: ChainTiming;
  /** This backend's total over the CPU reference's, same run (below 1: faster than the CPU). */
  readonly cpuRatio?: number;
  readonly reason?: string;
}

/** What a child prints on stdout: its device and a timing per chain, or why it has none. */
export type ChainChildAnswer =
  | { readonly device: string; readonly chains: Record<string, ChainTiming | { error: string }> }
  | { readonly unavailable: string };

/**
 * The environment a backend's child runs with. Dawn on a machine without a GPU needs SwiftShader; it
 * is added for the webgpu child only, so the Vulkan child sees the machine's own drivers alone.
 */
export function childEnv(backend: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return backend === 'webgpu' ? { ...env, ...swiftShaderEnv(env) } : env;
}

function runChild(script: string, backend: string, iterations: number): Promise<ChainChildAnswer> {
  return new Promise((resolve) => {
    const args = [script, '--chains-child', JSON.stringify({ backend, iterations })];
    execFile(
      process.execPath,
      args,
      { env: childEnv(backend), maxBuffer: 1 << 20, timeout: 600_000 },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as ChainChildAnswer);
        } catch {
          const why = stderr.trim().split('\n').slice(-3).join(' ') || (err ? err.message : 'no answer');
          resolve({ unavailable: `the ${backend} child failed: ${why}` });
        }
      },
    );
  });
}

/**
 * Every chain on every backend, same run: one child process per backend (a backend's driver state
 * cannot disturb another's), the CPU reference first, ratios against it.
 */
export async function runChains(
  script: string,
  iterations: number,
  backends: readonly string[] = CHAIN_BACKENDS,
): Promise<ChainCell[]> {
  const cells: ChainCell[] = [];
  const cpuTotals = new Map<string, number>();
  for (const backend of backends) {
    const answer = await runChild(script, backend, iterations);
    for (const chain of CHAINS) {
      const base = { chain: chain.id, title: chain.title, backend };
      if ('unavailable' in answer) {
        cells.push({ ...base, status: 'n/a', reason: answer.unavailable });
        continue;
      }
      const t = answer.chains[chain.id];
      if (!t || 'error' in t) {
        cells.push({ ...base, status: 'error', device: answer.device, reason: t ? t.error : 'not run' });
        continue;
      }
      if (backend === 'cpu') cpuTotals.set(chain.id, t.totalMs);
      const cpu = cpuTotals.get(chain.id);
      cells.push({
        ...base,
        status: 'ok',
        device: answer.device,
        timing: t,
        ...(cpu === undefined || backend === 'cpu' ? {} : { cpuRatio: t.totalMs / cpu }),
      });
    }
  }
  return cells;
}
