/**
 * Test helper: runs scripts/opencv_reference.py (OpenCV 4.6 from Debian's python3-opencv) on raw pixels
 * and returns its outputs. `openCVMissing()` gives the reason to skip when Debian's python3 has no cv2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../../scripts/opencv_reference.py');

export function openCVMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import cv2; print(cv2.__version__)'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `OpenCV reference unavailable (${PYTHON} cannot import cv2): apt-get install python3-opencv`;
}

export interface RefJob {
  op: string;
  attrs?: Record<string, unknown>;
}

export interface RefOutput {
  shape: number[];
  dtype: 'uint8' | 'float32' | 'float16';
  data: Uint8Array | Float32Array | Uint16Array;
}

/** Runs every job on one HWC uint8 image in one Python process. */
export function openCVReference(pixels: Uint8Array, shape: readonly number[], jobs: RefJob[]): RefOutput[] {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-cvref-'));
  try {
    const input = join(dir, 'in.raw');
    writeFileSync(input, pixels);
    const req = { input, shape, jobs: jobs.map((j, i) => ({ ...j, output: join(dir, `out${i}.raw`) })) };
    const stdout = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 1 << 24 });
    const meta = JSON.parse(stdout) as { shape: number[]; dtype: RefOutput['dtype'] }[];
    return meta.map((m, i) => {
      const raw = readFileSync(join(dir, `out${i}.raw`));
      const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
      const data =
        m.dtype === 'float32'
          ? new Float32Array(buf)
          : m.dtype === 'float16'
            ? new Uint16Array(buf)
            : new Uint8Array(buf);
      return { ...m, data };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The photos of ../shared/images used as test inputs (real images, never copied into the repo). */
export const SHARED_IMAGES = resolve(__dirname, '../../../../shared/images');
