import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json';
import { IMAGES, cleanTempDirs, tempDir } from './test-io.js';

// The built executable, run as users run it: real process exit codes, run from an unrelated directory.
const BIN = fileURLToPath(new URL('../dist/bin.cjs', import.meta.url));

function ocellus(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

let cwd: string;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first (npx tsup)`);
  cwd = await tempDir();
});
afterAll(cleanTempDirs);

describe('dist/bin.cjs', () => {
  it('starts with a shebang and prints the version', () => {
    const r = ocellus(cwd, '--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('devices --json exits 0 and finds the backend packages from its own location', () => {
    const r = ocellus(cwd, 'devices', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { backend: string; available: boolean }[];
    expect(list.find((e) => e.backend === 'cpu')?.available).toBe(true);
    expect(list.map((e) => e.backend)).toEqual(expect.arrayContaining(['vulkan', 'cuda', 'rocm', 'webgpu']));
  });

  it('exits 2 on bad arguments and 1 on an unreadable image', async () => {
    expect(ocellus(cwd, 'gray').status).toBe(2);
    expect(ocellus(cwd, 'nope').status).toBe(2);
    const missing = ocellus(cwd, 'gray', 'missing.jpg', '-o', 'out.png');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("cannot read image 'missing.jpg': no such file");
    expect(await readdir(cwd)).toEqual([]);
  });

  it('gray exits 0 and writes the output', async () => {
    const r = ocellus(cwd, 'gray', join(IMAGES, 'skimage_chelsea.png'), '-o', 'cat.png', '--backend', 'cpu');
    expect(r.status).toBe(0);
    expect(await readdir(cwd)).toEqual(['cat.png']);
  });
});
