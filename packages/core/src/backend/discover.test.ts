import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  backendStatuses,
  cpuBackend,
  discoverBackends,
  grayscale,
  listBackends,
  openDevice,
  swapRB,
} from '../index.js';

// The fixtures live outside packages/, as a third party's package would.
const FIXTURES = resolve(__dirname, '../../../../fixtures');
const project = mkdtempSync(join(tmpdir(), 'ocellus-discover-'));
mkdirSync(join(project, 'node_modules'));
symlinkSync(join(FIXTURES, 'ocellus-backend-toy'), join(project, 'node_modules', 'ocellus-backend-toy'));
symlinkSync(join(FIXTURES, 'ocellus-backend-future'), join(project, 'node_modules', 'ocellus-backend-future'));
// the application: discovery loads what it declares, nothing else
const manifest = (deps: Record<string, string>) => JSON.stringify({ name: 'app', private: true, dependencies: deps });
writeFileSync(join(project, 'package.json'), manifest({ 'ocellus-backend-toy': '1', 'ocellus-backend-future': '1' }));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('backend discovery', () => {
  it('finds a third-party backend declared in package.json and refuses one of another API version', async () => {
    const report = await discoverBackends({ paths: [join(project, 'src', 'deep')] });
    expect(report.loaded).toEqual([{ package: 'ocellus-backend-toy', backend: 'toy' }]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.package).toBe('ocellus-backend-future');
    expect(report.failed[0]!.reason).toMatch(/plugin API v99, but this @ocellus\/core speaks v1/);
    expect(listBackends().map((b) => [b.name, b.priority])).toContainEqual(['toy', 50]);
  });

  it('runs ops on the discovered backend through the public API, matching the CPU reference', async () => {
    await discoverBackends({ paths: [project] });
    const toy = await openDevice('toy', { discover: false });
    const cpu = await openDevice('cpu', { discover: false });
    try {
      expect(toy.info.name).toBe('Toy Device');
      const pixels = Uint8Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256);
      const onToy = toy.tensor(pixels, [4, 5, 3]);
      const onCpu = cpu.tensor(pixels, [4, 5, 3]);
      expect(await swapRB(onToy).data()).toEqual(await swapRB(onCpu).data());
      const g1 = (await grayscale(onToy).data()) as Uint8Array;
      const g2 = (await grayscale(onCpu).data()) as Uint8Array;
      for (let i = 0; i < g1.length; i++) expect(Math.abs(g1[i]! - g2[i]!)).toBeLessThanOrEqual(1);
      expect(toy.liveTensors).toBe(3);
      expect(toy.memory().kernelRuns).toBe(2);
      expect(() => toy.run('canny', [toy.empty('uint8', [2, 2, 1])])).toThrow(
        /backend 'toy' \(toy:0\) has no kernel for op 'canny'/,
      );
      // the failed call freed what it allocated
      expect(toy.liveTensors).toBe(4);
    } finally {
      await toy.close();
      await cpu.close();
    }
    expect(toy.liveTensors).toBe(0);
  });

  it('lists official backends that are not installed with the command that installs them', async () => {
    const statuses = await backendStatuses({ paths: [project] });
    const cpu = statuses.find((s) => s.backend === 'cpu');
    expect(cpu?.available).toBe(true);
    expect(cpu?.devices[0]?.type).toBe('cpu');
    const vulkan = statuses.find((s) => s.backend === 'vulkan');
    expect(vulkan).toEqual({
      backend: 'vulkan',
      available: false,
      reason: 'not installed: npm install @ocellus/backend-vulkan',
      devices: [],
    });
    expect(statuses.find((s) => s.backend === 'toy')?.available).toBe(true);
    expect(statuses.find((s) => s.backend === 'ocellus-backend-future')?.reason).toMatch(
      /^failed to load: .*plugin API v99/,
    );
  });

  it('never lets a discovered package take over a registered name (cpu included)', async () => {
    // a package that claims to be the cpu backend
    const other = mkdtempSync(join(tmpdir(), 'ocellus-discover-taken-'));
    const pkg = join(other, 'node_modules', 'sneaky-backend');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(other, 'package.json'), manifest({ 'sneaky-backend': '1' }));
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'sneaky-backend', type: 'module', main: 'index.js', ocellus: { backend: './index.js' } }),
    );
    writeFileSync(
      join(pkg, 'index.js'),
      'export const backend = { name: "cpu", apiVersion: 1, probe: async () => ({ devices: [] }), open: ' +
        'async () => {} };',
    );
    try {
      const report = await discoverBackends({ paths: [other] });
      expect(report.loaded).toEqual([]);
      expect(report.skipped).toEqual([
        { package: 'sneaky-backend', backend: 'cpu', reason: "a backend named 'cpu' is registered already" },
      ]);
      expect(listBackends().find((b) => b.name === 'cpu')?.plugin).toBe(cpuBackend);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("loads only the application's declared dependencies, not every package up the tree", async () => {
    // parent/node_modules/ocellus-backend-toy (undeclared) above parent/app, which declares nothing
    const parent = mkdtempSync(join(tmpdir(), 'ocellus-discover-deps-'));
    try {
      mkdirSync(join(parent, 'node_modules'));
      symlinkSync(join(FIXTURES, 'ocellus-backend-toy'), join(parent, 'node_modules', 'ocellus-backend-toy'));
      mkdirSync(join(parent, 'app', 'node_modules'), { recursive: true });
      symlinkSync(
        join(FIXTURES, 'ocellus-backend-future'),
        join(parent, 'app', 'node_modules', 'ocellus-backend-future'),
      );
      writeFileSync(join(parent, 'app', 'package.json'), manifest({}));
      const none = await discoverBackends({ paths: [join(parent, 'app', 'src')] });
      expect(none).toEqual({ loaded: [], failed: [], skipped: [] });
      // declared, it is found where Node would find it: in a parent's node_modules
      writeFileSync(join(parent, 'app', 'package.json'), manifest({ 'ocellus-backend-toy': '1' }));
      const found = await discoverBackends({ paths: [join(parent, 'app', 'src')] });
      expect(found.loaded).toEqual([{ package: 'ocellus-backend-toy', backend: 'toy' }]);
      expect(found.failed).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
