import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputPathError, checkOutputPath, writeFileAtomic } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'ocellus-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes a file whose name is 250 characters long (the temp name is short)', async () => {
    const name = `${'a'.repeat(246)}.png`;
    await writeFileAtomic(join(dir, name), new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(join(dir, name)))).toEqual([1, 2, 3]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a missing directory or a directory target before writing, naming the path', () => {
    expect(() => checkOutputPath(join(dir, 'nope', 'x.png'), 'image')).toThrow(OutputPathError);
    expect(() => checkOutputPath(join(dir, 'nope', 'x.png'), 'image')).toThrow(
      /cannot write image '.*nope\/x\.png': its directory '.*nope' does not exist: create it first/,
    );
    mkdirSync(join(dir, 'sub.png'));
    expect(() => checkOutputPath(join(dir, 'sub.png'))).toThrow(/it is a directory/);
  });

  it('writes through a symlink: the link stays, its file is replaced', async () => {
    const real = join(dir, 'real.bin');
    const link = join(dir, 'link.bin');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeFileAtomic(link, new TextEncoder().encode('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('leaves no temp file when the process exits mid-write', () => {
    const out = join(dir, 'exit');
    mkdirSync(out);
    const core = resolve(__dirname, '../../dist/index.js');
    const code = `
      const { writeFileAtomic } = await import(${JSON.stringify(core)});
      const { readdirSync } = await import('node:fs');
      void writeFileAtomic(${JSON.stringify(join(out, 'big.bin'))}, new Uint8Array(256 << 20));
      const t = setInterval(() => {
        if (readdirSync(${JSON.stringify(out)}).some((f) => f.endsWith('.tmp'))) {
          console.log('seen'); process.exit(3);
        }
      }, 1);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout.trim()).toBe('seen');
    expect(readdirSync(out)).toEqual([]);
  });
});
