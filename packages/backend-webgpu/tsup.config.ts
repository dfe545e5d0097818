import { defineConfig } from 'tsup';
import { nodeLibrary } from '../../tsup.shared.js';

export default defineConfig([
  // Node: ESM and CommonJS, Dawn from the 'webgpu' package (loaded at run time, never bundled); shims:
  // import.meta.url in the CommonJS build (node-gpu.ts require()s 'webgpu' relative to the bundle).
  nodeLibrary({ shims: true, external: ['@ocellus/core', 'webgpu'] }),
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
