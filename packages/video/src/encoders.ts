import { execFile } from 'node:child_process';

const cache = new Map<string, Promise<Set<string>>>();

/** The encoder names `ffmpeg -encoders` lists (cached per binary). */
export function ffmpegEncoders(ffmpeg: string): Promise<Set<string>> {
  let found = cache.get(ffmpeg);
  if (found === undefined) {
    found = new Promise((resolve) => {
      execFile(ffmpeg, ['-hide_banner', '-encoders'], { maxBuffer: 4 << 20 }, (_err, stdout) => {
        const names = new Set<string>();
        for (const line of String(stdout ?? '').split('\n')) {
          const m = /^\s*[VAS][.A-Z]{5}\s+(\S+)/.exec(line);
          if (m) names.add(m[1]);
        }
        resolve(names);
      });
    });
    cache.set(ffmpeg, found);
  }
  return found;
}

/** libx264 when this ffmpeg has it, else mpeg4 (always built in). */
export async function pickEncoder(ffmpeg: string, wanted: 'auto' | 'libx264' | 'mpeg4' = 'auto'): Promise<string> {
  if (wanted !== 'auto') return wanted;
  return (await ffmpegEncoders(ffmpeg)).has('libx264') ? 'libx264' : 'mpeg4';
}

/** Encoder arguments for an 8-bit 4:2:0 file most players read. */
export function encoderArgs(encoder: string, fps: number, crf = 20): string[] {
  const gop = String(Math.max(1, Math.round(fps)));
  if (encoder === 'libx264') return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(crf), '-g', gop];
  return ['-c:v', encoder, '-q:v', '3', '-g', gop];
}
