// Without an adapter (no Vulkan driver Dawn can use) and without the 'webgpu' package: the package still
// loads, probe() says why and what to do, conformance cases are skipped with that reason, 'auto' falls
// back to cpu. Child processes, so the environment (and a fresh Dawn) is theirs alone.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function inChild(env: Record<string, string | undefined>, preload = ''): Record<string, unknown> {
  const script = `${preload}
    const core = require('@ocellus/core');
    const { backend, probeWebGpu, objectCounts } = require('./dist/index.cjs');
    (async () => {
      core.registerBackend(backend, { priority: 150 });
      const probe = await probeWebGpu();
      const auto = await core.openDevice('auto', { discover: false });
      const named = await core.openDevice('webgpu', { discover: false }).then(() => 'opened', (e) => e.code);
      const declared = [];
      const api = {
        describe: (n, f) => f(),
        it: Object.assign(() => declared.push('run'), { skip: (n) => declared.push(n) }),
        afterAll() {},
      };
      const warn = console.warn; console.warn = () => {};
      await core.describeConformance(api, { device: 'webgpu' });
      console.warn = warn;
      console.log(
        JSON.stringify({ probe, auto: auto.backend, skipped: auto.skipped, named, declared, objects: objectCounts() }),
      );
      await auto.close();
    })();`;
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

interface Result {
  probe: { devices: unknown[]; reason: string };
  auto: string;
  skipped: { backend: string; reason: string }[];
  named: string;
  declared: string[];
  objects: Record<string, number>;
}

describe('without an adapter', () => {
  it('no ICD: probe says what to install, conformance is skipped with the reason, auto falls back to cpu', () => {
    const r = inChild({
      VK_ADD_DRIVER_FILES: undefined,
      VK_ICD_FILENAMES: '/nonexistent.json',
      VK_DRIVER_FILES: '/nonexistent.json',
    }) as unknown as Result;
    expect(r.probe.devices).toEqual([]);
    expect(r.probe.reason).toMatch(
      new RegExp(
        String.raw`^WebGPU: Dawn found no adapter.*apt-get install ` +
          String.raw`chromium-common.*VK_ADD_DRIVER_FILES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json`,
      ),
    );
    expect(r.auto).toBe('cpu');
    expect(r.skipped).toContainEqual({ backend: 'webgpu', reason: r.probe.reason });
    expect(r.named).toBe('ERR_OCELLUS_BACKEND_UNAVAILABLE');
    expect(r.declared.length).toBeGreaterThan(0);
    expect(r.declared.every((n) => n.includes(`(skipped: webgpu: ${r.probe.reason})`))).toBe(true);
    expect(r.objects).toMatchObject({ devices: 0, buffers: 0, gpuHolders: 0 });
  });

  it("no 'webgpu' package: the package loads and probe names the package", () => {
    // Make require('webgpu') fail the way a missing or broken install does.
    const preload = `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'webgpu') {
          const e = new Error("Cannot find module 'webgpu'"); e.code = 'MODULE_NOT_FOUND'; throw e;
        }
        return load.call(this, request, ...rest);
      };`;
    const r = inChild({}, preload) as unknown as Result;
    expect(r.probe.devices).toEqual([]);
    expect(r.probe.reason).toMatch(
      new RegExp(
        String.raw`^WebGPU: the npm package 'webgpu' \(Dawn for Node\) could not be loaded \(Cannot find ` +
          String.raw`module 'webgpu'\): reinstall`,
      ),
    );
    expect(r.auto).toBe('cpu');
  });
});
