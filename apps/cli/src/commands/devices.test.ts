import { type BackendStatus, type DeviceInfo, OFFICIAL_BACKENDS } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { run } from '../test-io.js';
import { type BackendJson, formatDevices } from './devices.js';

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

    // Every official GPU backend is listed whatever its state. It is either available with devices
    // (vulkan on a machine with a Vulkan driver, even lavapipe on the CPU) or unavailable saying why:
    // a placeholder without kernels, a package that failed to load (named by package), or not installed.
    for (const name of OFFICIAL_BACKENDS) {
      const entry = list.find((e) => e.backend === name || e.backend === `@ocellus/backend-${name}`);
      expect(entry, `${name} is listed`).toBeDefined();
      if (entry!.available) expect(entry!.devices.length, `${name} is available with devices`).toBeGreaterThan(0);
      else expect(entry!.reason, `${name} says why it is unavailable`).toMatch(/\S/);
    }
  });

  it('prints a readable listing: one line per backend, one per device', async () => {
    const r = await run('devices');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^cpu +available$/m);
    expect(r.stdout).toMatch(/^ {2}cpu:0 +cpu +\d+(\.\d)? [KMGT]iB +\S/m);
    const json = JSON.parse((await run('devices', '--json')).stdout) as BackendJson[];
    for (const name of OFFICIAL_BACKENDS) {
      const entry = json.find((e) => e.backend === name || e.backend === `@ocellus/backend-${name}`)!;
      if (!entry.available) {
        expect(r.stdout).toMatch(new RegExp(`^(@ocellus/backend-)?${name} +unavailable: \\S`, 'm'));
        continue;
      }
      expect(r.stdout).toMatch(new RegExp(`^${name} +available$`, 'm'));
      // Each device on its own line, its id and type apart however long the id is.
      for (const d of entry.devices) expect(r.stdout).toMatch(new RegExp(`^ {2}${d.id} {2,}${d.type} {2,}`, 'm'));
    }
  });

  it('sizes the columns from the content: long ids and names stay apart and aligned', () => {
    const device = (
      backend: string,
      index: number,
      type: DeviceInfo['type'],
      name: string,
      memoryBytes?: number,
    ): DeviceInfo => ({
      backend,
      index,
      type,
      name,
      ...(memoryBytes === undefined ? {} : { memoryBytes }),
    });
    const statuses: BackendStatus[] = [
      { backend: 'vulkan', available: true, devices: [device('vulkan', 0, 'cpu', 'llvmpipe', 2 * 1024 ** 3)] },
      {
        backend: 'a-very-long-backend',
        available: true,
        devices: [device('a-very-long-backend', 12, 'integrated', 'GPU 12')],
      },
      { backend: 'cuda', available: false, reason: 'no NVIDIA driver\nsecond line', devices: [] },
      { backend: 'cpu', available: true, devices: [device('cpu', 0, 'cpu', 'AMD EPYC', 15.6 * 1024 ** 3)] },
    ];
    expect(formatDevices(statuses)).toBe(
      [
        'vulkan                    available',
        '  vulkan:0                cpu         2.0 GiB   llvmpipe',
        'a-very-long-backend       available',
        '  a-very-long-backend:12  integrated  -         GPU 12',
        'cuda                      unavailable: no NVIDIA driver second line',
        'cpu                       available',
        '  cpu:0                   cpu         15.6 GiB  AMD EPYC',
        '',
      ].join('\n'),
    );
    // Only short ids: the first column keeps its minimum width of 10, ids never touch the type.
    const short = formatDevices([
      { backend: 'vulkan', available: true, devices: [device('vulkan', 0, 'cpu', 'llvmpipe')] },
    ]);
    expect(short).toBe('vulkan      available\n  vulkan:0  cpu  -  llvmpipe\n');
  });
});
