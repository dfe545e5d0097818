import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The leak tests collect garbage before they read RSS.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
