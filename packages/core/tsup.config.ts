import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // sharp is a native dependency: load it from node_modules at run time, never bundle it.
  external: ['sharp'],
});
