// Install only what you need: pack @ocellus/core and this package, npm install the two tarballs into an
// empty project outside the workspace, and run an edge detection on the Vulkan device from a plain script.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasDevice } from './helpers.js';

const here = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'ocellus-vulkan-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCRIPT = `
const { openDevice, grayscale, gaussianBlur, canny, writeImage } = require('@ocellus/core');
(async () => {
  const device = await openDevice('vulkan');
  const [h, w] = [120, 160];
  const rgb = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = (x - 80) ** 2 + (y - 60) ** 2 < 40 ** 2 ? 220 : 30;
    rgb.set([v, v, v], (y * w + x) * 3);
  }
  const edges = canny(gaussianBlur(grayscale(device.tensor(rgb, [h, w, 3])), { ksize: 5 }), { low: 50, high: 150 });
  const data = await edges.data();
  await writeImage('edges.png', edges);
  const edgePixels = data.filter((v) => v === 255).length;
  console.log(JSON.stringify({ device: device.id, name: device.info.name, edgePixels, memory: device.memory() }));
  await device.close();
})();
`;

describe.skipIf(!hasDevice)('packed tarballs in an empty project', () => {
  it('installs @ocellus/core and @ocellus/backend-vulkan and runs Canny on the Vulkan device', () => {
    for (const dir of [join(here, '..', 'core'), here]) {
      execFileSync('pnpm', ['pack', '--pack-destination', tmp], { cwd: dir, stdio: 'pipe' });
    }
    const tarballs = readdirSync(tmp).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(2);
    const vulkan = tarballs.find((f) => f.includes('backend-vulkan'))!;
    const listing = execFileSync('tar', ['-tzf', join(tmp, vulkan)], { encoding: 'utf8' });
    expect(listing).toContain('package/build/Release/ocellus_vulkan.node');

    const project = join(tmp, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'edge-check', private: true, version: '1.0.0' }),
    );
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => join(tmp, t))],
      {
        cwd: project,
        stdio: 'pipe',
      },
    );
    writeFileSync(join(project, 'edge.cjs'), SCRIPT);
    const out = execFileSync(process.execPath, ['edge.cjs'], { cwd: project, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.device).toBe('vulkan:0');
    expect(r.edgePixels).toBeGreaterThan(100);
    expect(r.memory.uploads).toBe(1);
    expect(existsSync(join(project, 'edges.png'))).toBe(true);
    expect(readFileSync(join(project, 'edges.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 300_000);
});
