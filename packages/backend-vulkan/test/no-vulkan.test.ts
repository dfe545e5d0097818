// Without Vulkan: no driver (VK_ICD_FILENAMES points nowhere), and no addon build. The package still
// loads, probe() says why, conformance cases are skipped with that reason, 'auto' falls back to cpu.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function inChild(env: Record<string, string>): Record<string, unknown> {
  const script = `
    const core = require('@ocellus/core');
    const { backend, probeVulkan } = require('./dist/index.cjs');
    (async () => {
      core.registerBackend(backend, { priority: 200 });
      const probe = probeVulkan();
      const auto = await core.openDevice('auto', { discover: false });
      const declared = [];
      const api = {
        describe: (n, f) => f(),
        it: Object.assign(() => declared.push('run'), { skip: (n) => declared.push(n) }),
        afterAll() {},
      };
      const warn = console.warn; console.warn = () => {};
      await core.describeConformance(api, { device: 'vulkan' });
      console.warn = warn;
      console.log(JSON.stringify({ probe, auto: auto.backend, skipped: auto.skipped, declared }));
      await auto.close();
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('without Vulkan', () => {
  it('no driver: probe says what to install, conformance is skipped with the reason, auto falls back to cpu', () => {
    const r = inChild({ VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' }) as {
      probe: { devices: unknown[]; reason: string };
      auto: string;
      skipped: { backend: string; reason: string }[];
      declared: string[];
    };
    expect(r.probe.devices).toEqual([]);
    expect(r.probe.reason).toMatch(/no Vulkan driver \(ICD\) found.*apt-get install mesa-vulkan-drivers/);
    expect(r.auto).toBe('cpu');
    expect(r.skipped).toContainEqual({ backend: 'vulkan', reason: r.probe.reason });
    expect(r.declared.length).toBeGreaterThan(0);
    expect(r.declared.every((n) => n.includes(`(skipped: vulkan: ${r.probe.reason})`))).toBe(true);
  });

  it('no addon build: probe says how to build it', () => {
    const r = inChild({ OCELLUS_VULKAN_ADDON: '/nonexistent/ocellus_vulkan.node' }) as {
      probe: { reason: string };
      auto: string;
    };
    expect(r.probe.reason).toMatch(/is not built: build it with `pnpm --filter @ocellus\/backend-vulkan build`/);
    expect(r.auto).toBe('cpu');
  });
});
