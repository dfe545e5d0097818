import { defineConfig } from 'tsup';

// The ops benchmark is a Node program run with `node dist/ops-bench.cjs`. CJS, because opencv.js is an
// Emscripten CommonJS build that is loaded with require() (see src/peers/opencv.ts). The peers and core
// stay external: they are installed packages, and sharp is native.
export default defineConfig({
  entry: { 'ops-bench': 'src/ops-bench.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  dts: false,
  external: ['sharp', '@techstark/opencv-js', '@ocellus/core'],
});
