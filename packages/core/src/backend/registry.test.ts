import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendExistsError,
  BackendUnavailableError,
  BackendVersionError,
  type BackendPlugin,
  type DeviceInfo,
  InvalidBackendError,
  PLUGIN_API_VERSION,
  listBackends,
  openDevice,
  registerBackend,
  selectBackend,
  unregisterBackend,
} from '../index.js';
import { cpuBackend } from '../cpu/plugin.js';

/** A plugin that reports `devices` (or none, with `reason`) and opens by borrowing the CPU context. */
function fakePlugin(name: string, devices: number, reason?: string): BackendPlugin {
  const infos: DeviceInfo[] = Array.from({ length: devices }, (_, index) => ({
    backend: name,
    index,
    name: `${name} ${index}`,
    type: 'virtual',
  }));
  return {
    name,
    apiVersion: PLUGIN_API_VERSION,
    probe: async () => ({ devices: infos, ...(reason ? { reason } : {}) }),
    open: async (device) => {
      const ctx = await cpuBackend.open({ ...device });
      return ctx;
    },
  };
}

const added: string[] = [];
function add(plugin: BackendPlugin, priority: number): void {
  registerBackend(plugin, { priority });
  added.push(plugin.name);
}
afterEach(() => {
  for (const n of added.splice(0)) unregisterBackend(n);
});

describe('backend registry', () => {
  it('has the CPU reference registered by default, at the lowest priority', () => {
    const cpu = listBackends().find((b) => b.name === 'cpu');
    expect(cpu?.priority).toBe(-100);
  });

  it('orders backends by priority and auto picks the highest available', async () => {
    add(fakePlugin('low', 1), 10);
    add(fakePlugin('high', 2), 90);
    expect(listBackends().map((b) => b.name)).toEqual(['high', 'low', 'cpu']);
    const sel = await selectBackend('auto', { discover: false });
    expect(sel.device.backend).toBe('high');
    expect(sel.device.index).toBe(0);
    expect(sel.skipped).toEqual([]);
  });

  it('falls back down the chain and records why each backend was skipped', async () => {
    add(fakePlugin('gpu-a', 0, 'driver libfoo.so.1 not found: apt-get install libfoo1'), 200);
    const throwing: BackendPlugin = {
      ...fakePlugin('gpu-b', 1),
      probe: async () => {
        throw new Error('ioctl failed');
      },
    };
    add(throwing, 100);
    const device = await openDevice('auto', { discover: false });
    try {
      expect(device.id).toBe('cpu:0');
      expect(device.skipped).toEqual([
        { backend: 'gpu-a', reason: 'driver libfoo.so.1 not found: apt-get install libfoo1' },
        { backend: 'gpu-b', reason: 'probe failed: ioctl failed' },
      ]);
    } finally {
      await device.close();
    }
  });

  it('auto passes over CPU-emulated devices of GPU backends, an explicit name still takes them', async () => {
    const emulated: BackendPlugin = {
      ...fakePlugin('soft', 0),
      probe: async () => ({ devices: [{ backend: 'soft', index: 0, name: 'llvmpipe', type: 'cpu' }] }),
    };
    add(emulated, 300);
    const auto = await selectBackend('auto', { discover: false });
    expect(auto.device.backend).toBe('cpu');
    expect(auto.skipped).toEqual([
      {
        backend: 'soft',
        reason: "only CPU-emulated devices (llvmpipe); 'auto' prefers the cpu backend: select 'soft' to use them",
      },
    ]);
    expect((await selectBackend('soft', { discover: false })).device.name).toBe('llvmpipe');
  });

  it('takes an explicit chain, a device index, and refuses a missing index with the count', async () => {
    add(fakePlugin('multi', 3), 5);
    expect((await selectBackend('multi:2', { discover: false })).device.index).toBe(2);
    const chain = await selectBackend('nosuch,multi:1,cpu', { discover: false });
    expect(chain.device.index).toBe(1);
    expect(chain.skipped[0]!.backend).toBe('nosuch');
    expect(chain.skipped[0]!.reason).toMatch(/not registered: install @ocellus\/backend-nosuch/);
    const err = await selectBackend('multi:7', { discover: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/multi:7: has no device 7 \(it has 3\)/);
  });

  it('does not fall back from an explicitly named backend: it names the reason', async () => {
    add(fakePlugin('absent', 0, 'no device: plug one in'), 1);
    const err = (await selectBackend('absent', { discover: false }).catch(
      (e: unknown) => e,
    )) as BackendUnavailableError;
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.code).toBe('ERR_OCELLUS_BACKEND_UNAVAILABLE');
    expect(err.skipped).toEqual([{ backend: 'absent', reason: 'no device: plug one in' }]);
    expect(err.message).toContain('no device: plug one in');
  });

  it('refuses a plugin built against another API version, naming both versions', () => {
    const future = { ...fakePlugin('future', 1), apiVersion: PLUGIN_API_VERSION + 1 };
    expect(() => registerBackend(future)).toThrow(BackendVersionError);
    expect(() => registerBackend(future)).toThrow(
      `built against @ocellus/core plugin API v${PLUGIN_API_VERSION + 1}, but this @ocellus/core speaks v` +
        `${PLUGIN_API_VERSION}`,
    );
    expect(listBackends().some((b) => b.name === 'future')).toBe(false);
  });

  it('refuses malformed plugins and bad specs with named errors', async () => {
    expect(() =>
      registerBackend({ name: 'Bad Name', apiVersion: PLUGIN_API_VERSION } as unknown as BackendPlugin),
    ).toThrow(InvalidBackendError);
    expect(() =>
      registerBackend({ name: 'noprobe', apiVersion: PLUGIN_API_VERSION } as unknown as BackendPlugin),
    ).toThrow(/must implement probe\(\) and open\(device\)/);
    await expect(selectBackend('vulkan:x', { discover: false })).rejects.toThrow(/invalid backend 'vulkan:x'/);
  });
});

describe('a name is registered once', () => {
  it('refuses another plugin under a taken name (cpu included) unless replace: true', () => {
    const first = fakePlugin('taken', 1);
    add(first, 1);
    add(first, 5); // the same plugin again: only its priority changes
    expect(listBackends().find((b) => b.name === 'taken')?.priority).toBe(5);
    const other = fakePlugin('taken', 1);
    expect(() => registerBackend(other)).toThrow(BackendExistsError);
    expect(() => registerBackend(other)).toThrow(
      /a backend named 'taken' is registered already: pass \{ replace: true \} to replace it/,
    );
    expect(listBackends().find((b) => b.name === 'taken')?.plugin).toBe(first);
    registerBackend(other, { replace: true });
    expect(listBackends().find((b) => b.name === 'taken')?.plugin).toBe(other);
    expect(() => registerBackend({ ...fakePlugin('cpu', 1) })).toThrow(/a backend named 'cpu' is registered already/);
  });
});

describe('a second copy of core in the process', () => {
  it('shares the registry and matches error classes by code', async () => {
    // Simulate the CommonJS build of core loaded beside this one: a fresh module instance.
    const { vi } = await import('vitest');
    vi.resetModules();
    const copy = '../index.js?copy'; // a distinct specifier gives a second module instance
    const second = (await import(/* @vite-ignore */ copy)) as typeof import('../index.js');
    expect(second.registerBackend).not.toBe(registerBackend);
    second.registerBackend(fakePlugin('from-copy', 1), { priority: 1 });
    added.push('from-copy');
    expect(listBackends().map((b) => b.name)).toContain('from-copy');
    // the copy found the reference registered and did not replace it with its own
    expect(listBackends().find((b) => b.name === 'cpu')?.plugin).toBe(cpuBackend);
    const err = new second.BackendUnavailableError('x');
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err).not.toBeInstanceOf(InvalidBackendError);
    expect(new Error('plain')).not.toBeInstanceOf(BackendUnavailableError);
  });
});
