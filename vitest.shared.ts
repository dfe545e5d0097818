import { type ViteUserConfig, defineConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * Every package's vitest setup: its src/ and test/ files, long timeouts (real models, devices and
 * ffmpeg on a 2-core machine), a process per file, and the JSON report that scripts/test-summary.mjs
 * adds up. `extra` is the package's own part (an environment, node flags, file parallelism).
 */
export function packageTestConfig(extra: TestOptions = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      ...extra,
    },
  });
}
