/**
 * @internal Test helper: runs scripts/ocr_reference.py (OpenCV 4.6 from Debian's python3-opencv,
 * PaddleOCR's steps) and says why when it cannot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../../scripts/ocr_reference.py');
/** The shared test images (../shared/images beside the repository). */
export const SHARED_IMAGES = resolve(__dirname, '../../../../../shared/images');

export function openCVMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import cv2, numpy'], { encoding: 'utf8' });
  return r.status === 0
    ? undefined
    : `OpenCV reference unavailable (${PYTHON} cannot import cv2): apt-get install python3-opencv`;
}

/** Run jobs in one Python process; `withDir` gets a temp dir for raw files, removed afterwards. */
export function ocrReference<T>(
  build: (dir: string) => Record<string, unknown>[],
  read: (results: unknown[], dir: string) => T,
): T {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-ocrref-'));
  try {
    const jobs = build(dir);
    const stdout = execFileSync(PYTHON, [SCRIPT], {
      input: JSON.stringify({ jobs }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    return read(JSON.parse(stdout) as unknown[], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readFloat32(path: string): Float32Array {
  const raw = readFileSync(path);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** A small seeded generator (mulberry32) so the random cases are the same every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
