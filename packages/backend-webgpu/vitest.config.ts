import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run on SwiftShader (Debian's chromium-common) where it is installed. Only the tests get this
// environment: the library never sets VK_ADD_DRIVER_FILES (it would change what the Vulkan backend sees).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? mkdtempSync(join(tmpdir(), 'ocellus-webgpu-xdg-')) };
if (!process.env.VK_ADD_DRIVER_FILES && existsSync(SWIFTSHADER)) env.VK_ADD_DRIVER_FILES = SWIFTSHADER;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
