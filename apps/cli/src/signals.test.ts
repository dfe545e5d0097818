import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, tempDir } from './test-io.js';

// The built executable, stopped by a signal while it writes its output.
const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));
afterAll(cleanTempDirs);

/** Start `ocellus args`, send `signal` as soon as a temp file shows in `dir`; the exit code and what was seen. */
async function interruptWhileWriting(dir: string, signal: NodeJS.Signals, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let seen = false;
  const poll = setInterval(() => {
    if (!seen && readdirSync(dir).some((f) => f.endsWith('.tmp'))) {
      seen = true;
      child.kill(signal);
    }
  }, 1);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearInterval(poll);
  return { code, seen, stderr, left: readdirSync(dir) };
}

describe('signals', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s during `export` removes the temp file and exits %i', async (signal, expected) => {
    // a write is a few tens of ms: try a few times until the signal lands while the temp file exists
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = await tempDir();
      const r = await interruptWhileWriting(dir, signal, ['export', 'yolov8s', '-o', 'y.onnx']);
      if (!r.seen) continue;
      expect(r.code, r.stderr).toBe(expected);
      expect(r.stderr).toContain(`interrupted (${signal})`);
      expect(r.left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // the signal came before the rename: no output at all, not a partial one
      expect(r.left).toEqual([]);
      return;
    }
    throw new Error('the temp file was never seen: the write finished before the poll saw it, 5 times');
  });
});
