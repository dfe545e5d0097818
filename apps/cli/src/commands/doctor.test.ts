import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../doctor/checks.js';
import { runCheck } from '../doctor/checks.js';
import { run } from '../test-io.js';
import { formatDoctor } from './doctor.js';

const STATUSES = ['ok', 'missing', 'warn'];
const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));

describe('ocellus doctor', () => {
  it('runs every check here: one aligned line each with a status, Node and onnxruntime ok, exit 0', async () => {
    const r = await run('doctor');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [body, summary] = r.stdout.trimEnd().split('\n\n');
    const lines = body.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(13);
    const nameColumn = /^\S+\s+/.exec(lines[0])![0].length;
    for (const line of lines) {
      const m = /^(ok|missing|warn) +(\S+) +(\S.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(line.indexOf(m![2]), `'${m![2]}' starts in the name column`).toBe(nameColumn);
      // What is not ok says how to fix it, except a warn that is only informative.
      if (m![1] === 'missing') expect(line, line).toContain('-> fix: ');
    }
    expect(r.stdout).toMatch(/^ok +node +v\d+\.\d+\.\d+ \(>= 20\)$/m);
    expect(r.stdout).toMatch(/^ok +onnxruntime +onnxruntime-node 1\.30\.0; execution providers: cpu\b/m);
    expect(summary).toMatch(/^\d+ ok, \d+ warn, \d+ missing$/);
  });

  it('--json: the same checks as objects { name, status, detail, fix? }', async () => {
    const r = await run('doctor', '--json');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as CheckResult[];
    const names = results.map((c) => c.name);
    expect(names).toEqual([
      'node',
      'pnpm',
      'onnxruntime',
      'vulkan-loader',
      'vulkan-icd',
      'vulkan-devices',
      'vulkaninfo',
      'webgpu',
      'cuda-toolkit',
      'nvidia-driver',
      'cuda-compat',
      'hipcc',
      'rocm',
    ]);
    for (const c of results) {
      expect(
        Object.keys(c).every((k) => ['name', 'status', 'detail', 'fix'].includes(k)),
        c.name,
      ).toBe(true);
      expect(STATUSES).toContain(c.status);
      expect(c.detail).toMatch(/\S/);
      if (c.status === 'missing') expect(c.fix, c.name).toMatch(/\S/);
    }
    const byName = Object.fromEntries(results.map((c) => [c.name, c]));
    expect(byName.node.status).toBe('ok');
    expect(byName.onnxruntime.status).toBe('ok');
    expect(byName.onnxruntime.detail).toMatch(/cpu, webgpu/);
    // CUDA: the compatibility line follows from the toolkit and driver lines, whatever this machine has.
    if (byName['cuda-toolkit'].status === 'ok' && byName['nvidia-driver'].status === 'missing') {
      expect(byName['cuda-compat']).toMatchObject({ status: 'warn' });
      expect(byName['cuda-compat'].detail).toMatch(
        /^CUDA code builds here but cannot run: no NVIDIA driver \(CUDA \d+\.\d+ needs driver >= /,
      );
    }
    if (byName['cuda-toolkit'].status === 'missing') expect(byName['cuda-compat'].status).not.toBe('ok');
    // Vulkan: devices are reported only when the loader is there.
    if (byName['vulkan-loader'].status === 'missing') expect(byName['vulkan-devices'].status).toBe('missing');
  });

  it('runs from dist/bin.cjs (CommonJS): onnxruntime resolves through @ocellus/models there too', () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first (npx tsup)`);
    const r = spawnSync(process.execPath, [BIN, 'doctor', '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const results = JSON.parse(r.stdout) as CheckResult[];
    expect(results.find((c) => c.name === 'onnxruntime')).toMatchObject({ status: 'ok' });
  });

  it('bad arguments exit 2 with the usage', async () => {
    for (const argv of [
      ['doctor', '--frob'],
      ['doctor', 'extra'],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^ocellus: doctor: /);
      expect(r.stderr).toContain('Usage: ocellus');
    }
  });

  it('a check that throws or hangs becomes a warn line; the doctor still answers', async () => {
    const thrown = await runCheck({ name: 'boom', run: async () => Promise.reject(new Error('exploded')) });
    expect(thrown).toEqual({ name: 'boom', status: 'warn', detail: 'check failed: exploded' });
    const started = Date.now();
    const hung = await runCheck({ name: 'hang', run: () => new Promise(() => {}) }, 200);
    expect(hung).toEqual({ name: 'hang', status: 'warn', detail: 'no answer within 0.2 s: skipped' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('formats aligned columns with the fix on the same line and a summary', () => {
    const text = formatDoctor([
      { name: 'node', status: 'ok', detail: 'v20.19.1 (>= 20)' },
      { name: 'nvidia-driver', status: 'missing', detail: 'none\nhere', fix: 'install it' },
      { name: 'cuda-compat', status: 'warn', detail: 'builds, cannot run' },
    ]);
    expect(text).toBe(
      [
        'ok       node           v20.19.1 (>= 20)',
        'missing  nvidia-driver  none here  -> fix: install it',
        'warn     cuda-compat    builds, cannot run',
        '',
        '1 ok, 1 warn, 1 missing',
        '',
      ].join('\n'),
    );
  });
});
