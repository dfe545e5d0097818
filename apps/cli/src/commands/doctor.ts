import { parseCommand } from '../args.js';
import { type Check, type CheckResult, allChecks, runCheck } from '../doctor/checks.js';
import type { Io } from '../io.js';

/**
 * `ocellus doctor [--json]`: what this machine has for Ocellus (Node, pnpm, onnxruntime-node, Vulkan,
 * WebGPU, CUDA, ROCm), one line per check with the command that fixes what is missing. It reports and
 * does not fail: exit 0 whatever it finds, 2 for bad arguments.
 */
export async function doctorCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand(
    'doctor',
    args,
    { json: { type: 'boolean', default: false } },
    { names: [], required: 0 },
  );
  const results = await runDoctor();
  io.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatDoctor(results));
  return 0;
}

/** Runs the checks side by side, each under its own deadline; results in the checks' order. */
export function runDoctor(checks: readonly Check[] = allChecks()): Promise<CheckResult[]> {
  return Promise.all(checks.map((c) => runCheck(c)));
}

/**
 * One aligned line per check, the fix after it on the same line:
 *   ok       node           v20.19.1 (>= 20)
 *   missing  nvidia-driver  no NVIDIA driver (...)  -> fix: ...
 */
export function formatDoctor(results: readonly CheckResult[]): string {
  const statusWidth = Math.max(...results.map((r) => r.status.length), 0) + 2;
  const nameWidth = Math.max(...results.map((r) => r.name.length), 0) + 2;
  const lines = results.map((r) => {
    const detail = r.detail.replace(/\s*\n\s*/g, ' ');
    return `${r.status.padEnd(statusWidth)}${r.name.padEnd(nameWidth)}${detail}${r.fix ? `  -> fix: ${r.fix}` : ''}`;
  });
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  lines.push('', `${count('ok')} ok, ${count('warn')} warn, ${count('missing')} missing`);
  return `${lines.join('\n')}\n`;
}
