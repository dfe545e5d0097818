// The native build script: with OCELLUS_REQUIRE_NATIVE=1 a build that cannot be done fails loudly (non-zero
// exit and the reason); without it the package degrades to TypeScript only. Each run is a child process on a
// copy of scripts/ and native/ in a temporary folder, with a PATH made for it (this process's is untouched),
// so the real build/ is never written.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const here = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'ocellus-vulkan-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder of links to every command on PATH but `without`, as a PATH; node_modules/.bin folders left out. */
function pathWithout(name: string, without: readonly string[]): string {
  const bin = join(tmp, name);
  mkdirSync(bin);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules') || !existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!without.includes(f) && !existsSync(join(bin, f))) symlinkSync(join(dir, f), join(bin, f));
    }
  }
  return bin;
}

function copyPackage(name: string, nodeModules: boolean): string {
  const dir = join(tmp, name);
  for (const p of ['package.json', 'scripts', 'native']) cpSync(join(here, p), join(dir, p), { recursive: true });
  if (nodeModules) symlinkSync(join(here, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function build(dir: string, path: string, require: boolean) {
  // NODE_PATH: pnpm's bin shims set it to the store, where cmake-js would be found whatever the copy holds.
  const env: Record<string, string | undefined> = { ...process.env, PATH: path, NODE_PATH: undefined };
  env.VULKAN_SDK = undefined;
  env.OCELLUS_REQUIRE_NATIVE = require ? '1' : undefined;
  const r = spawnSync(process.execPath, ['scripts/build-native.mjs'], { cwd: dir, env, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, built: existsSync(join(dir, 'build')) };
}

describe('native build script', () => {
  const noGlslc = pathWithout('no-glslc', ['glslc', 'glslangValidator']);

  it('OCELLUS_REQUIRE_NATIVE=1 without glslc: non-zero exit naming what is missing', () => {
    const r = build(copyPackage('a', true), noGlslc, true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/native addon not built, missing glslc \(or glslangValidator\): apt-get install -y glslc/);
    expect(r.stderr).toContain('OCELLUS_REQUIRE_NATIVE=1');
    expect(r.built).toBe(false);
  });

  it('without OCELLUS_REQUIRE_NATIVE: exit 0 with a warning (the package works without the addon)', () => {
    const r = build(copyPackage('b', true), noGlslc, false);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/missing glslc.*probe\(\) reports Vulkan unavailable/);
  });

  it('OCELLUS_REQUIRE_NATIVE=1 without cmake-js: non-zero exit with the reason, not a silent one', () => {
    const r = build(copyPackage('c', false), pathWithout('no-cmake-js', ['cmake-js']), true);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing cmake-js: pnpm install/);
    expect(r.built).toBe(false);
  });
});
