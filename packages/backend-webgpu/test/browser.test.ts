// The browser entry in a real browser: Debian's headless Chromium with WebGPU (SwiftShader), driven by
// playwright-core (never a downloaded browser), on localhost (WebGPU needs a secure origin).
// dist/browser.js must load with no Node module and no 'webgpu' package, register with core's browser
// build, and give the CPU reference's bytes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const files: Record<string, string> = {
  '/core.js': join(root, '..', 'core', 'dist', 'browser.js'),
  '/backend.js': join(root, 'dist', 'browser.js'),
};
const missing = [CHROMIUM, ...Object.values(files)].filter((f) => !existsSync(f));
if (missing.length)
  console.warn(
    `[backend-webgpu] browser test skipped: missing ${missing.join(', ')} (apt-get install chromium; pnpm build)`,
  );

// What the demo page does: import { backend } from the browser entry, registerBackend, openDevice('webgpu').
const PAGE = `<!doctype html>
<script type="importmap">
{ "imports": { "@ocellus/core": "/core.js", "@ocellus/backend-webgpu/browser": "/backend.js" } }
</script>
<script type="module">
import * as core from '@ocellus/core';
import { backend, probeWebGpu } from '@ocellus/backend-webgpu/browser';
try {
  core.registerBackend(backend);
  const probe = await probeWebGpu();
  if (!probe.devices.length) {
    globalThis.result = { probe };
  } else {
    const run = async (d) => {
      const img = core.testImage(61, 83, 3, 5);
      const t = d.tensor(img.data, img.shape);
      const e = core.canny(core.gaussianBlur(core.grayscale(t), { ksize: 5 }), { low: 40, high: 120 });
      const n = core.normalize(core.resize(t, { width: 40, height: 30 }), {
        mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], dtype: 'float16',
      });
      return [...(await e.data()), ...new Uint8Array((await n.data()).buffer)];
    };
    const gpu = await core.openDevice('webgpu', { discover: false });
    const cpu = await core.openDevice('cpu', { discover: false });
    const [a, b] = [await run(gpu), await run(cpu)];
    const info = { id: gpu.id, name: gpu.info.name, type: gpu.info.type, uploads: gpu.memory().uploads };
    await gpu.close();
    await cpu.close();
    const equal = a.length === b.length && a.every((v, i) => v === b[i]);
    globalThis.result = { probe, info, equal, edges: a.filter((v) => v === 255).length };
  }
} catch (err) {
  globalThis.result = { probe: { devices: [] }, error: String(err && err.stack || err) };
}
</script>`;

describe.skipIf(missing.length > 0)('in Chromium (navigator.gpu)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--no-sandbox'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has no Node import in the browser bundle', () => {
    const code = readFileSync(files['/backend.js']!, 'utf8');
    expect(code).not.toMatch(/from\s*['"](node:|webgpu['"])|require\(|import\(['"](node:|webgpu)/);
    expect(code).toMatch(/navigator\?\.gpu/);
  });

  const browserChainTitle =
    'imports { backend } from the browser entry, registers it and runs a chain bit-exact with the CPU reference';
  it(browserChainTitle, async (t) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('http://localhost:4173/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      const file = files[path];
      return file
        ? route.fulfill({ contentType: 'text/javascript', body: readFileSync(file, 'utf8') })
        : route.fulfill({ status: 404 });
    });
    await page.goto('http://localhost:4173/');
    await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, {
      timeout: 90_000,
    });
    const r = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
      probe: { devices: unknown[]; reason?: string };
      info?: { id: string; name: string; type: string; uploads: number };
      equal?: boolean;
      edges?: number;
      error?: string;
    };
    expect(r.error).toBeUndefined();
    expect(errors).toEqual([]);
    if (!r.probe.devices.length) {
      expect(r.probe.reason).toMatch(/^WebGPU: /);
      console.warn(`[backend-webgpu] skipped: Chromium gave no WebGPU adapter: ${r.probe.reason}`);
      t.skip();
    }
    console.log(`[browser] ${r.info!.id}: ${r.info!.name} (${r.info!.type})`);
    expect(r.info!.uploads).toBe(1);
    expect(r.edges).toBeGreaterThan(0);
    expect(r.equal).toBe(true);
  });
});
