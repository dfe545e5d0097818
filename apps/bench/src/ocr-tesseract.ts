/**
 * Tesseract 5 as the OCR peer: the `tesseract` command (Debian tesseract-ocr + tesseract-ocr-eng),
 * run as a child process per image, page segmentation mode 3 (fully automatic, its default), text
 * on stdout.
 */
import { execFile, spawnSync } from 'node:child_process';

export const TESSERACT_MISSING = 'n/a: tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)';

/** 'tesseract 5.3.0', or undefined with the reason when it cannot run. */
export function tesseractVersion(bin = 'tesseract'): { version?: string; reason?: string } {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { reason: TESSERACT_MISSING };
  const first = `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim() !== '') ?? 'tesseract';
  return { version: first.trim() };
}

/** The recognised lines of one image. Rejects with tesseract's message when it fails. */
export function tesseractLines(image: string, bin = 'tesseract'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [image, '-', '--psm', '3', '-l', 'eng'],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`tesseract failed on ${image}: ${(stderr || error.message).trim().split('\n')[0]}`));
        else resolve(stdout.split('\n'));
      },
    );
  });
}
