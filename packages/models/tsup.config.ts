import { defineConfig } from 'tsup';

// Two builds share dist/ and run at the same time, so each one's clean spares the other's files.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['!ort-worker.*'],
    sourcemap: true,
    target: 'node20',
    // import.meta.url in the CJS build (the engine finds onnxruntime-node and its worker file with it)
    shims: true,
    external: ['@ocellus/core', 'onnxruntime-node', 'onnx-proto'],
  },
  {
    // The inference worker's own file (new Worker(path)): CommonJS, so it can require onnxruntime-node.
    entry: { 'ort-worker': 'src/engine/ort-worker.ts' },
    format: ['cjs'],
    clean: ['!index.*'],
    sourcemap: true,
    target: 'node20',
  },
]);
