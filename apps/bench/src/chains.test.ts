import { existsSync } from 'node:fs';
import { openDevice } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { CHAINS, timeChain } from './chains.js';
import { SWIFTSHADER_ICD } from '@ocellus/backend-webgpu';
import { childEnv } from './chains-run.js';
import { formatChainTable } from './chains-table.js';

describe('image-op chains benchmark', () => {
  it('times every chain with one upload and one download, and leaves no tensor behind', async () => {
    const device = await openDevice('cpu', { discover: false });
    try {
      const [h, w] = [90, 160];
      const pixels = Uint8Array.from({ length: h * w * 3 }, (_, i) => (i * 37) & 255);
      for (const chain of CHAINS) {
        const t = await timeChain(device, chain, pixels, [h, w, 3], 2);
        expect(t, chain.id).toMatchObject({ uploads: 1, downloads: 1, iterations: 2 });
        expect(t.totalMs).toBeGreaterThanOrEqual(t.kernelsMs);
        expect(device.liveTensors, chain.id).toBe(0);
      }
    } finally {
      await device.close();
    }
  });

  it('gives SwiftShader to the webgpu child only, and never overrides a driver list the user set', () => {
    const base = { PATH: '/usr/bin' };
    expect(childEnv('vulkan', base)).toBe(base);
    expect(childEnv('webgpu', { ...base, VK_ADD_DRIVER_FILES: '/x.json' }).VK_ADD_DRIVER_FILES).toBe('/x.json');
    const webgpu = childEnv('webgpu', base);
    // Where chromium-common is not installed the child gets no driver list, and says why it has no adapter.
    expect(webgpu.VK_ADD_DRIVER_FILES).toBe(existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined);
    expect(webgpu.PATH).toBe('/usr/bin');
  });

  it('tables a measured cell with its ratio and an unavailable one with its reason', () => {
    const timing = { uploadMs: 1, kernelsMs: 2, downloadMs: 3, totalMs: 6, uploads: 1, downloads: 1, iterations: 3 };
    const text = formatChainTable([
      { chain: 'edges', title: 'edges', backend: 'vulkan', status: 'ok', device: 'vulkan:0 x', timing, cpuRatio: 0.5 },
      { chain: 'edges', title: 'edges', backend: 'webgpu', status: 'n/a', reason: 'no adapter' },
    ]);
    expect(text).toContain('| edges | vulkan | vulkan:0 x | 1.00 | 2.00 | 3.00 | 6.00 | 1/1 | 0.50x |');
    expect(text).toContain('n/a: no adapter');
  });
});
