// Builds the demo into dist/: the page bundled for browsers (core's "browser" build and the WebGPU
// backend's browser entry, no Node modules), the HTML and CSS, and a default sample image.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const SAMPLE = join(root, '../../samples/grace_hopper.jpg');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'samples'), { recursive: true });

await build({
  entryPoints: [join(root, 'src/page.ts')],
  outfile: join(dist, 'page.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(root, 'src', file), join(dist, file));
copyFileSync(SAMPLE, join(dist, 'samples/grace_hopper.jpg'));
console.log(`web-demo: built ${dist}`);
