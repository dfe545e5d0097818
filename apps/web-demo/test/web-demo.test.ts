/**
 * The demo page in headless Debian Chromium on WebGPU (SwiftShader): upload a PNG, click each step,
 * read the result bytes back and compare them with core's CPU reference computed here in Node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../src/demo-state.js'; // window.__ocellus
import { byteDifferences } from './compare.js';
import { type ReferencePixels, cpuReference } from './reference.js';
import { type DemoServer, startDemoServer } from './serve.js';

const APP = resolve(__dirname, '..');
// A lossless PNG without colour profile, so the browser and sharp decode it to the same bytes.
const IMAGE = resolve(APP, '../../../shared/images/skimage_coffee.png');
const SCREENSHOT = join(APP, 'test-artifacts/demo.png');
const CHROMIUM = '/usr/bin/chromium';
const OPS = ['gray', 'edges', 'letterbox'] as const;

const noChromium = existsSync(CHROMIUM) ? '' : `${CHROMIUM} is missing (Debian: apt-get install chromium)`;
if (noChromium) console.warn(`[web-demo] skipping the browser tests: ${noChromium}`);

let server: DemoServer | undefined;
const browsers: Browser[] = [];

beforeAll(async () => {
  if (noChromium) return;
  execFileSync(process.execPath, [join(APP, 'scripts/build.mjs')], { stdio: 'pipe' });
  server = await startDemoServer(APP);
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  server?.stop();
});

/** Opens the demo in a fresh Chromium and waits until it has loaded its default sample. */
async function openDemo(args: string[]): Promise<Page> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  browsers.push(browser);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server!.url);
  await page
    .waitForFunction(() => window.__ocellus?.ready && !window.__ocellus.busy, undefined, { timeout: 60_000 })
    .catch(async (err: Error) => {
      const why = await page.evaluate(() => window.__ocellus?.error ?? document.body.textContent).catch(() => '');
      throw new Error(`the demo did not become ready: ${err.message}\npage: ${why}\nerrors: ${pageErrors.join('\n')}`);
    });
  return page;
}

async function uploadImage(page: Page, file: string): Promise<void> {
  await page.setInputFiles('#file', file);
  await page.waitForFunction(
    (name) => window.__ocellus.image?.name === name && window.__ocellus.ready && !window.__ocellus.busy,
    basename(file),
  );
  expect(await page.evaluate(() => window.__ocellus.error)).toBeNull();
}

/** Clicks a step's button and waits until the page has its results (or an error). */
async function clickStep(page: Page, op: (typeof OPS)[number]): Promise<void> {
  await page.click(`button[data-op="${op}"]`);
  await page.waitForFunction(
    (o) => (window.__ocellus.results[o] !== undefined && !window.__ocellus.busy) || window.__ocellus.error,
    op,
    { timeout: 90_000 },
  );
  expect(await page.evaluate(() => window.__ocellus.error)).toBeNull();
}

/** The bytes and [H, W, C] shape of what the page computed, or of its decoded input. */
async function pagePixels(
  page: Page,
  what: 'input' | (typeof OPS)[number],
  device: 'webgpu' | 'cpu',
): Promise<ReferencePixels> {
  const got = await page.evaluate(
    ([w, d]) => {
      const s = window.__ocellus;
      const p = w === 'input' ? s.input : s.results[w as 'gray']?.[d as 'cpu']?.pixels;
      return p ? { shape: [p.height, p.width, p.channels], base64: s.pixels(w as 'gray', d as 'cpu') } : null;
    },
    [what, device] as const,
  );
  expect(got, `the page has no ${what} on ${device}`).not.toBeNull();
  return { shape: got!.shape, data: new Uint8Array(Buffer.from(got!.base64!, 'base64')) };
}

describe.skipIf(noChromium)('web demo on WebGPU (headless Chromium, --enable-unsafe-webgpu)', () => {
  let page: Page;
  let reference: Awaited<ReturnType<typeof cpuReference>>;

  beforeAll(async () => {
    reference = await cpuReference(IMAGE);
    page = await openDemo(['--enable-unsafe-webgpu']);
    // Pick the test image through the file input, as a user would; every test below works on it.
    await uploadImage(page, IMAGE);
  });

  it('runs on WebGPU with an adapter, not on the CPU fallback', async () => {
    const s = await page.evaluate(() => ({
      backend: window.__ocellus.backend,
      adapter: window.__ocellus.adapter,
      device: window.__ocellus.webgpuDevice,
      missing: window.__ocellus.webgpuMissing,
    }));
    expect(s.missing).toBeNull();
    expect(s.backend).toBe('webgpu');
    expect(s.device).toMatch(/^webgpu:\d+$/);
    expect(s.adapter?.vendor || s.adapter?.architecture, 'the adapter says who it is').toBeTruthy();
    expect(await page.locator('#adapter').textContent()).toContain('WebGPU adapter');
    expect(await page.locator('#gpu-missing').isHidden()).toBe(true);
  });

  it('decodes the uploaded PNG to the same bytes as core does in Node', async () => {
    const input = await pagePixels(page, 'input', 'webgpu');
    expect(input.shape).toEqual(reference.input.shape);
    expect(byteDifferences(input.data, reference.input.data)).toEqual({ mismatches: 0 });
  });

  for (const op of OPS) {
    it(`${op} on WebGPU gives the CPU reference's bytes exactly`, async () => {
      await clickStep(page, op);
      const expected = reference[op];
      for (const device of ['webgpu', 'cpu'] as const) {
        const got = await pagePixels(page, op, device);
        expect(got.shape, `${op} shape on ${device}`).toEqual(expected.shape);
        expect(byteDifferences(got.data, expected.data), `${op} on ${device} vs the CPU reference in Node`).toEqual({
          mismatches: 0,
        });
      }
      const device = await page.evaluate((o) => window.__ocellus.results[o]?.webgpu?.device, op);
      expect(device).toMatch(/^webgpu:\d+$/);
      // The timing table has the op's row on each device (Playwright's locators, not its test runner).
      expect(await page.locator(`#timings tr[data-op="${op}"][data-device^="webgpu"]`).count()).toBe(1);
      expect(await page.locator(`#timings tr[data-op="${op}"][data-device^="cpu"]`).count()).toBe(1);
    });
  }

  it('computes something worth comparing (the reference is not blank)', () => {
    const edges = reference.edges.data;
    const on = edges.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    expect(on).toBeGreaterThan(1000);
    expect(on).toBeLessThan(edges.length / 2);
    expect(new Set(reference.gray.data).size).toBeGreaterThan(100);
    expect(reference.letterbox.shape).toEqual([640, 640, 3]);
    expect(reference.letterbox.data[0]).toBe(114); // padding above a 600x400 image
  });

  it('writes a screenshot of the page as a test artefact', async () => {
    mkdirSync(join(APP, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});

describe.skipIf(noChromium)('web demo without WebGPU (no --enable-unsafe-webgpu)', () => {
  it('says how to get WebGPU and runs on the CPU backend', async () => {
    const page = await openDemo([]);
    const missing = page.locator('#gpu-missing');
    expect(await missing.isVisible()).toBe(true);
    expect(await missing.textContent()).toContain('--enable-unsafe-webgpu');
    expect(await page.evaluate(() => window.__ocellus.backend)).toBe('cpu');
    await clickStep(page, 'gray');
    expect(await page.evaluate(() => window.__ocellus.results.gray?.cpu?.device)).toBe('cpu:0');
    expect(await page.evaluate(() => window.__ocellus.results.gray?.webgpu)).toBeUndefined();
  });
});
