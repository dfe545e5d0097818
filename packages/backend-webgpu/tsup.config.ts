import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // Node: ESM and CommonJS, Dawn from the 'webgpu' package (loaded at run time, never bundled).
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    // import.meta.url in the CommonJS build (node-gpu.ts require()s 'webgpu' relative to the bundle).
    shims: true,
    external: ['@ocellus/core', 'webgpu'],
  },
  {
    // Browsers: ESM on navigator.gpu; no Node module and no 'webgpu' may end up in here.
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    platform: 'browser',
    target: 'es2022',
    external: ['@ocellus/core'],
  },
]);
