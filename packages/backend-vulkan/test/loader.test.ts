// The Vulkan loader is loaded all or nothing, by the platform's file names. Run in child processes: a loader
// that a test loads (or fails to load) stays for the life of the process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addonPath, loadAddon } from '../src/binding.js';
import { hasDevice } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ocellus-vulkan-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const hasCc = spawnSync('sh', ['-c', 'command -v cc'], { stdio: 'ignore' }).status === 0;

describe('loader names', () => {
  it('tries the platform loader: versioned name first', () => {
    const { addon } = loadAddon();
    expect(addon, 'the native addon must be built').toBeDefined();
    expect(addon!.loaderNames('linux')).toEqual(['libvulkan.so.1', 'libvulkan.so']);
    expect(addon!.loaderNames('android')).toEqual(['libvulkan.so.1', 'libvulkan.so']);
    expect(addon!.loaderNames('darwin')).toEqual(['libvulkan.1.dylib', 'libvulkan.dylib', 'libMoltenVK.dylib']);
    expect(addon!.loaderNames('win32')).toEqual(['vulkan-1.dll']);
    expect(addon!.loaderNames()).toEqual(addon!.loaderNames(process.platform));
  });
});

// In a fresh process: loadLoader() with each list of names, then probe() (the platform's loader), then
// loadLoader() with a missing name again.
function loadsThenProbe(...attempts: string[][]) {
  const script = `
    const a = require(${JSON.stringify(addonPath)});
    const out = ${JSON.stringify(attempts)}.map((names) => a.loadLoader(names));
    const p = a.probe();
    out.push({ devices: p.devices.length, reason: p.reason }, a.loadLoader(['libocellus-missing.so.1']));
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.signal, r.stderr).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  type Result = { loaded?: boolean; error?: string; devices?: number };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Result[];
  const [probe, afterLoaded] = out.slice(-2);
  expect(probe).toEqual({ devices: expect.any(Number) });
  expect(probe!.devices).toBeGreaterThan(0);
  expect(afterLoaded).toEqual({ loaded: true }); // once loaded, it stays: contexts may use it
  return out.slice(0, -2);
}

describe.skipIf(!hasDevice)('loading the loader', () => {
  it('a missing library fails each time with the reason, then the real one loads', () => {
    const [first, second] = loadsThenProbe(['libocellus-missing.so.1'], ['libocellus-missing.so.1']);
    const error = expect.stringMatching(/libocellus-missing\.so\.1.*apt-get install/);
    expect(first).toEqual({ loaded: false, error });
    expect(second).toEqual(first); // tried again, not a cached answer
  });

  it.skipIf(!hasCc)('a library without the entry points leaves nothing loaded (no null function pointers)', () => {
    // vkGetInstanceProcAddr that resolves nothing: the library opens, then fails the global lookups.
    const fake = join(tmp, 'libfake-vulkan.so');
    writeFileSync(join(tmp, 'fake.c'), 'void* vkGetInstanceProcAddr(void* i, const char* n) { return 0; }\n');
    spawnSync('cc', ['-shared', '-fPIC', '-o', fake, join(tmp, 'fake.c')], { stdio: 'inherit' });
    // Before, the second attempt "succeeded" with the handle left set, and probe() called a null pointer.
    const [first, second] = loadsThenProbe([fake], [fake]);
    expect(first).toEqual({ loaded: false, error: expect.stringContaining('lacks the global Vulkan entry points') });
    expect(second).toEqual(first);
  });
});
