import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AttributeError } from '@ocellus/core';
import { encoderArgs, pickEncoder } from './encoders.js';
import { VideoWriteError } from './errors.js';
import { LineReader, resolveFfmpeg, spawnSupervised } from './process.js';

export interface TestClipOptions {
  /** Still images (any format ffmpeg reads); each gets an equal share of the clip. */
  images: readonly string[];
  seconds: number;
  fps: number;
  /** Frame size (even numbers: 4:2:0 video). */
  width: number;
  height: number;
  /** Output file; the container follows the extension (.mp4, .mkv, .avi, ...). */
  out: string;
  /** Default: libx264 when available, else mpeg4. */
  codec?: 'auto' | 'libx264' | 'mpeg4';
  ffmpegPath?: string;
}

export interface TestClip {
  path: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  codec: string;
}

/**
 * Builds a constant-rate clip of exactly round(seconds*fps) frames from still images: each image is scaled to
 * cover 1.25x the frame and panned left to right, so every frame differs from the next. For tests and
 * benchmarks (generate it at test time; do not commit it).
 */
export async function makeTestClip(opts: TestClipOptions): Promise<TestClip> {
  const { images, seconds, fps, width, height } = opts;
  if (images.length === 0) throw new AttributeError('makeTestClip: images is empty');
  if (!(seconds > 0) || !(fps > 0)) throw new AttributeError('makeTestClip: seconds and fps must be > 0');
  for (const v of [width, height]) {
    if (!Number.isInteger(v) || v < 2 || v % 2 !== 0) {
      throw new AttributeError(`makeTestClip: width and height must be even integers >= 2, got ${width}x${height}`);
    }
  }
  const ffmpeg = resolveFfmpeg(opts.ffmpegPath);
  const codec = await pickEncoder(ffmpeg, opts.codec);
  const total = Math.round(seconds * fps);
  const perImage = Math.ceil(total / images.length);
  const segSeconds = (perImage + 1) / fps;
  const w2 = Math.ceil((width * 1.25) / 2) * 2;
  const h2 = Math.ceil((height * 1.25) / 2) * 2;
  const inputs: string[] = [];
  const chains: string[] = [];
  images.forEach((img, i) => {
    inputs.push('-loop', '1', '-framerate', String(fps), '-t', segSeconds.toFixed(6), '-i', resolve(img));
    chains.push(
      `[${i}:v]scale=${w2}:${h2}:force_original_aspect_ratio=increase,crop=${w2}:${h2},` +
        `crop=${width}:${height}:x='(iw-ow)*n/${perImage}':y='(ih-oh)/2',setsar=1,format=yuv420p[v${i}]`,
    );
  });
  const concat = `${images.map((_, i) => `[v${i}]`).join('')}concat=n=${images.length}:v=1:a=0[out]`;
  const out = resolve(opts.out);
  await mkdir(dirname(out), { recursive: true });
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    `${chains.join(';')};${concat}`,
    '-map',
    '[out]',
    '-frames:v',
    String(total),
    '-r',
    String(fps),
    '-fps_mode',
    'cfr',
    ...encoderArgs(codec, fps),
    '-pix_fmt',
    'yuv420p',
    out,
  ];
  const proc = spawnSupervised(ffmpeg, args);
  const stderr = new LineReader(() => {});
  proc.child.stderr!.on('data', (c: Buffer) => stderr.push(c));
  proc.child.stdout!.resume();
  const { code, signal } = await proc.exited;
  stderr.end();
  if (code !== 0) {
    const tail = stderr.tail();
    throw new VideoWriteError(
      `makeTestClip: ffmpeg exited with ${code ?? signal}: ${tail.slice(-3).join(' | ')}`,
      tail,
    );
  }
  return { path: out, frames: total, fps, width, height, codec };
}
