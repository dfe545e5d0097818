import { OFFICIAL_BACKENDS } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { run } from '../test-io.js';
import type { BackendJson } from './devices.js';

describe('ocellus devices', () => {
  it('--json lists every known backend in the documented shape', async () => {
    const r = await run('devices', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as BackendJson[];
    expect(Array.isArray(list)).toBe(true);
    for (const entry of list) {
      expect(Object.keys(entry).every((k) => ['backend', 'available', 'reason', 'devices'].includes(k))).toBe(true);
      expect(typeof entry.backend).toBe('string');
      expect(typeof entry.available).toBe('boolean');
      // Available means it has devices; unavailable means it says why.
      expect(entry.available).toBe(entry.devices.length > 0);
      if (entry.available) expect(entry).not.toHaveProperty('reason');
      else expect(entry.reason).toMatch(/\S/);
      entry.devices.forEach((d, i) => {
        expect(Object.keys(d).every((k) => ['id', 'name', 'type', 'memoryBytes'].includes(k))).toBe(true);
        expect(d.id).toBe(`${entry.backend}:${i}`);
        expect(typeof d.name).toBe('string');
        expect(['cpu', 'discrete', 'integrated', 'virtual', 'other']).toContain(d.type);
        if ('memoryBytes' in d) expect(d.memoryBytes).toBeGreaterThan(0);
      });
    }

    const cpu = list.find((e) => e.backend === 'cpu');
    expect(cpu).toMatchObject({ available: true, devices: [{ id: 'cpu:0', type: 'cpu' }] });

    // The GPU backends are listed whatever their state: a placeholder saying why it has no devices,
    // a package that failed to load (named by package), or not installed.
    for (const name of OFFICIAL_BACKENDS) {
      const entry = list.find((e) => e.backend === name || e.backend === `@ocellus/backend-${name}`);
      expect(entry, `${name} is listed`).toBeDefined();
      expect(entry!.available, `${name} is a placeholder`).toBe(false);
      expect(entry!.reason).toMatch(/\S/);
    }
  });

  it('prints a readable listing: one line per backend, one per device', async () => {
    const r = await run('devices');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^cpu +available$/m);
    expect(r.stdout).toMatch(/^ {2}cpu:0 +cpu +\d+(\.\d)? [KMGT]iB +\S/m);
    for (const name of OFFICIAL_BACKENDS) expect(r.stdout).toMatch(new RegExp(`^(@ocellus/backend-)?${name} +unavailable: \\S`, 'm'));
  });
});
