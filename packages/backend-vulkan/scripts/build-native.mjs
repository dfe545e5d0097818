// Builds the Vulkan addon with cmake-js where its toolchain exists. Where it does not, the package still
// builds (TypeScript only) and reports itself unavailable with the command that installs the toolchain,
// unless OCELLUS_REQUIRE_NATIVE=1 (CI), where a missing toolchain is an error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = [];
if (!onPath('cmake')) missing.push('cmake');
if (!onPath('c++') && !onPath('g++')) missing.push('g++');
if (!existsSync('/usr/include/vulkan/vulkan.h')) missing.push('libvulkan-dev');
if (!onPath('glslc') && !onPath('glslangValidator')) missing.push('glslc');

if (missing.length > 0) {
  const msg = `@ocellus/backend-vulkan: native addon not built, missing ${missing.join(', ')}: apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.env.OCELLUS_REQUIRE_NATIVE === '1') {
    console.error(msg);
    process.exit(1);
  }
  console.warn(`${msg} (the package still works: probe() reports Vulkan unavailable with this reason)`);
  process.exit(0);
}
const r = spawnSync('cmake-js', ['compile', '-d', 'native', '-O', 'build', '--runtime', 'node', '-p', '2', '-l', 'warn'], {
  stdio: 'inherit',
  shell: false,
});
process.exit(r.status ?? 1);
