import { defineConfig } from 'tsup';

// The benchmarks are Node programs run with `node dist/<name>.cjs`. CJS, because opencv.js is an
// Emscripten CommonJS build that is loaded with require() (see src/peers/opencv.ts), and the models
// benchmark re-runs its own file as child processes (__filename). The peers, core, models and
// onnxruntime-node stay external: they are installed packages, and sharp and onnxruntime are native.
export default defineConfig({
  entry: {
    'ops-bench': 'src/ops-bench.ts',
    'models-bench': 'src/models-bench.ts',
    'chains-bench': 'src/chains-bench.ts',
    'streams-bench': 'src/streams-bench.ts',
    bench: 'src/bench.ts',
  },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  dts: false,
  external: [
    'sharp',
    '@techstark/opencv-js',
    '@ocellus/core',
    '@ocellus/models',
    '@ocellus/video',
    'onnxruntime-node',
    /^@ocellus\/backend-/,
  ],
});
