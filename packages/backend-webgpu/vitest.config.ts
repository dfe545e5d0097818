import { defineConfig } from 'vitest/config';
import { swiftShaderEnv } from './src/swiftshader.js';

// Tests run on SwiftShader (Debian's chromium-common) where it is installed. Only the tests get this
// environment: the library never sets VK_ADD_DRIVER_FILES (it would change what the Vulkan backend sees).
const env = swiftShaderEnv();

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
