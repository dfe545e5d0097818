import {
  BackendUnavailableError,
  type DeviceInfo,
  describeConformance,
  probeBackend,
  registerBackend,
  selectBackend,
  unregisterBackend,
} from '@ocellus/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { available, backend, reason } from './index.js';

// A device as a caller might pass one without probing first; open() must still refuse it.
const device: DeviceInfo = { backend: 'cuda', index: 0, name: 'any', type: 'other' };

describe('@ocellus/backend-cuda (placeholder)', () => {
  afterEach(() => {
    unregisterBackend('cuda');
  });

  it('satisfies the plugin contract: core registers it', () => {
    expect(() => registerBackend(backend, { priority: 300 })).not.toThrow();
    expect(backend.name).toBe('cuda');
  });

  it('probes to no devices with a reason that says there are no kernels yet', async () => {
    const probe = await backend.probe();
    expect(probe.devices).toEqual([]);
    expect(probe.reason).toBe(reason);
    expect(reason).toMatch(/^@ocellus\/backend-cuda \d+\.\d+\.\d+ has no kernels yet: .*CUDA.*use the cpu backend/);
    expect(available).toBe(false);
  });

  it('rejects open() with BackendUnavailableError carrying the reason', async () => {
    const err = await backend.open(device).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).code).toBe('ERR_OCELLUS_BACKEND_UNAVAILABLE');
    expect((err as BackendUnavailableError).message).toBe(reason);
  });

  it('is skipped with its reason when selected through core', async () => {
    registerBackend(backend, { priority: 300 });
    expect((await probeBackend('cuda', { refresh: true })).reason).toBe(reason);
    await expect(selectBackend('cuda', { discover: false })).rejects.toThrow(reason);
    // 'auto' passes over it and lands on the CPU reference backend, recording why.
    const auto = await selectBackend('auto', { discover: false });
    expect(auto.device.backend).toBe('cpu');
    expect(auto.skipped).toContainEqual({ backend: 'cuda', reason });
  });
});

// The shared conformance suite, as every backend runs it: with no device every case is reported as
// skipped with the reason (never as passed), so this package's test output stays honest.
registerBackend(backend);
await describeConformance({ describe, it, afterAll }, { device: 'cuda' });
