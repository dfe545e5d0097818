import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every test file gets VK_LAYER_KHRONOS_validation (when installed) and asserts zero errors at its end.
    env: { OCELLUS_VULKAN_VALIDATION: '1' },
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
