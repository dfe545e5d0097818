import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Debian's SwiftShader Vulkan driver (package chromium-common): a WebGPU adapter for Dawn where there is no GPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * The environment a process (a test run, a benchmark child) needs to find SwiftShader: VK_ADD_DRIVER_FILES
 * when the driver is installed and none is set, and an XDG_RUNTIME_DIR (Mesa warns without one). The
 * library itself never sets VK_ADD_DRIVER_FILES: it would change what the Vulkan backend sees in the same
 * process; callers give this to processes of their own.
 */
export function swiftShaderEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const add: Record<string, string> = { XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR ?? tmpdir() };
  if (!env.VK_ADD_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) add.VK_ADD_DRIVER_FILES = SWIFTSHADER_ICD;
  return add;
}
