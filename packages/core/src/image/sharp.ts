import { OcellusError } from '../errors.js';

type Sharp = typeof import('sharp').default;
let loaded: Promise<Sharp> | undefined;

/** Loads sharp on first use, so @ocellus/core imports fine where image I/O is never needed. */
export function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(
    (m) => ((m as unknown as { default?: Sharp }).default ?? m) as Sharp,
    (err: unknown) => {
      loaded = undefined;
      throw new OcellusError(
        'ERR_OCELLUS_SHARP_MISSING',
        `image I/O needs the 'sharp' package, which failed to load (` +
          `${err instanceof Error ? err.message : String(err)}): ` +
          'reinstall it with npm install sharp',
        { cause: err },
      );
    },
  );
  return loaded;
}
