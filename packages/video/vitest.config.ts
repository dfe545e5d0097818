import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2-core machines: one test file at a time keeps the RTSP timings and the RSS bound meaningful.
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
