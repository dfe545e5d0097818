import type { Options } from 'tsup';

/**
 * A package's Node build: src/index.ts to ESM and CommonJS with types and source maps for Node 20,
 * @ocellus/core left external (a peer or dependency, never bundled). `extra` adds or overrides.
 */
export function nodeLibrary(extra: Options = {}): Options {
  return {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external: ['@ocellus/core'],
    ...extra,
  };
}
