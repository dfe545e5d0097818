import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';

/** Shared by the tests only (never imported by the CLI): run main() in-process, make temp dirs. */

/** ../shared/images beside the repository (never copied into it). */
export const IMAGES = fileURLToPath(new URL('../../../../shared/images', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** main(argv) with stdout and stderr captured. */
export async function run(...argv: string[]): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const made: string[] = [];

/** A fresh temp dir, removed by cleanTempDirs() (call it in afterAll). */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ocellus-cli-test-'));
  made.push(dir);
  return dir;
}

export async function cleanTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
