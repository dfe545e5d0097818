import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // import.meta.url in the CJS build (the engine resolves onnxruntime-node for its worker threads with it)
  shims: true,
  external: ['@ocellus/core', 'onnxruntime-node', 'onnx-proto'],
});
