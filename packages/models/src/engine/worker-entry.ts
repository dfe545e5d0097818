import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The inference worker's file: dist/ort-worker.cjs beside the built package (dist/index.js or .cjs),
 * or, when this module runs from its TypeScript source (tests), the package's built one.
 */
export function ortWorkerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'ort-worker.cjs'), join(here, '..', '..', 'dist', 'ort-worker.cjs')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(`the inference worker is missing (looked for ${candidates.join(' and ')}): build @ocellus/models`);
  }
  return found;
}
