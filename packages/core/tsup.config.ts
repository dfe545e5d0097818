import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Options, defineConfig } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// Two builds (Node and browser) write side by side into dist/ and tsup runs them in parallel, so
// neither may clean dist/ itself: it is emptied once here, before both start.
rmSync('dist', { recursive: true, force: true });

/**
 * The browser build takes `x.browser.ts` wherever core imports `./x.js` and such a file exists:
 * discovery (scanning node_modules needs node:fs) and the host CPU's description (node:os).
 */
const browserVariants: EsbuildPlugin = {
  name: 'ocellus-browser-variants',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
      const variant = resolve(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts'));
      return existsSync(variant) ? { path: variant } : undefined;
    });
  },
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    // sharp is a native dependency: load it from node_modules at run time, never bundle it.
    external: ['sharp'],
  },
  {
    entry: { browser: 'src/index.browser.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    platform: 'browser',
    target: 'es2022',
    esbuildPlugins: [browserVariants],
  },
]);
