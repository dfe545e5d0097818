import { defineConfig } from 'tsup';

// Two builds share dist/ and run at the same time, so each one's clean spares the other's files.
export default defineConfig([
  {
    // The executable: one CommonJS file with a shebang (package.json "bin": "./dist/bin.cjs").
    entry: { bin: 'src/bin.ts' },
    format: ['cjs'],
    banner: { js: '#!/usr/bin/env node' },
    clean: ['!index.*'],
    sourcemap: true,
    target: 'node20',
    // import.meta.url (demo.ts finds the sample image from its own location) needs the CJS shim.
    shims: true,
  },
  {
    // main() as a library, for ESM and CJS importers, with types.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!bin.*'],
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
]);
