// Builds the Vulkan addon with cmake-js where its toolchain exists. Where it does not, the package still
// builds (TypeScript only) and reports itself unavailable with the command that installs the toolchain,
// unless OCELLUS_REQUIRE_NATIVE=1 (CI): then anything that makes the addon impossible to build is an error,
// a non-zero exit with the reason, never a silent one.
// Run from the package directory (`pnpm run build:native`); PATH, VULKAN_SDK and pkg-config are searched
// as CMake (native/CMakeLists.txt) searches them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';

const require = createRequire(resolve('package.json'));
const required = process.env.OCELLUS_REQUIRE_NATIVE === '1';
const sdk = process.env.VULKAN_SDK;
const win = process.platform === 'win32';

/** The full path of `cmd` on PATH (or in `extra` folders), without a shell: `sh -c command -v` is not portable. */
function which(cmd, extra = []) {
  const exts = win ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extra]) {
    for (const ext of exts) if (dir && existsSync(join(dir, cmd + ext))) return join(dir, cmd + ext);
  }
  return undefined;
}

function vulkanHeaders() {
  const dirs = sdk ? [join(sdk, 'include'), join(sdk, 'Include')] : [];
  const pc = spawnSync('pkg-config', ['--cflags-only-I', 'vulkan'], { encoding: 'utf8' });
  if (pc.status === 0)
    dirs.push(
      ...pc.stdout
        .split(/\s+/)
        .filter((f) => f.startsWith('-I'))
        .map((f) => f.slice(2)),
    );
  dirs.push('/usr/include', '/usr/local/include', '/opt/homebrew/include');
  return dirs.find((d) => existsSync(join(d, 'vulkan', 'vulkan.h')));
}

function cmakeJs() {
  try {
    return require.resolve('cmake-js/bin/cmake-js');
  } catch {
    return undefined;
  }
}

const sdkBin = sdk ? [join(sdk, 'bin'), join(sdk, 'Bin')] : [];
const missing = []; // [what, how to get it]
if (!which('cmake')) missing.push(['cmake', 'apt-get install -y cmake']);
const cxx = win || ['c++', 'g++', 'clang++'].some((c) => which(c)); // MSVC: CMake finds it through Visual Studio
if (!cxx) missing.push(['a C++17 compiler', 'apt-get install -y g++']);
if (!vulkanHeaders()) missing.push(['the Vulkan headers', 'apt-get install -y libvulkan-dev, or set VULKAN_SDK']);
if (!which('glslc', sdkBin) && !which('glslangValidator', sdkBin)) {
  missing.push(['glslc (or glslangValidator)', 'apt-get install -y glslc, or set VULKAN_SDK']);
}
const cli = cmakeJs();
if (!cli) missing.push(['cmake-js', 'pnpm install (it is a devDependency of @ocellus/backend-vulkan)']);

if (missing.length > 0) {
  const msg =
    `@ocellus/backend-vulkan: native addon not built, missing ${missing.map(([what]) => what).join(', ')}: ` +
    missing.map(([, how]) => how).join('; ');
  if (required) {
    console.error(`${msg} (OCELLUS_REQUIRE_NATIVE=1: failing the build)`);
    process.exit(1);
  }
  console.warn(`${msg} (the package still works: probe() reports Vulkan unavailable with this reason)`);
  process.exit(0);
}
const args = ['compile', '-d', 'native', '-O', 'build', '--runtime', 'node', '-p', '2', '-l', 'warn'];
const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
if (r.status !== 0) {
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
  console.error(`@ocellus/backend-vulkan: cmake-js failed (${why}); the messages above say why`);
  process.exit(r.status || 1);
}
