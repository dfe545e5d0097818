import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { AttributeError, type TempFile, reserveTempFile } from '@ocellus/core';
import { encoderArgs, pickEncoder } from './encoders.js';
import { FrameSizeError, VideoWriteError } from './errors.js';
import { LineReader, resolveFfmpeg, type SupervisedChild, spawnSupervised } from './process.js';

export interface VideoWriterOptions {
  width: number;
  height: number;
  fps: number;
  /** Default: libx264 when `ffmpeg -encoders` lists it, else mpeg4. */
  codec?: 'auto' | 'libx264' | 'mpeg4';
  /** libx264 quality (0-51, lower is better); default 20. */
  crf?: number;
  ffmpegPath?: string;
  killGraceMs?: number;
}

export interface VideoWriter extends AsyncDisposable {
  /** The final path (written by close()). */
  readonly path: string;
  /** The temporary file ffmpeg writes to until close(). */
  readonly tempPath: string;
  readonly encoder: string;
  /** Frames written so far. */
  readonly frames: number;
  /** Appends one frame (height x width x 3 RGB bytes, or a VideoFrame); waits while ffmpeg is behind. */
  write(frame: Uint8Array | { data: Uint8Array; width: number; height: number }): Promise<void>;
  /** Finishes the file and renames it to `path`; rejects (and removes the temp file) if ffmpeg failed. */
  close(): Promise<{ path: string; frames: number }>;
  /** Stops ffmpeg and removes the temp file; `path` is left untouched. */
  abort(): Promise<void>;
}

class VideoWriterImpl implements VideoWriter {
  frames = 0;
  private done: Promise<unknown> | undefined;
  private readonly stderr = new LineReader(() => {});

  get tempPath(): string {
    return this.reserved.temp;
  }
  private exitedEarly = false;

  constructor(
    readonly path: string,
    private readonly reserved: TempFile,
    readonly encoder: string,
    private readonly opts: VideoWriterOptions,
    private readonly proc: SupervisedChild,
  ) {
    proc.child.stderr!.on('data', (c: Buffer) => this.stderr.push(c));
    proc.child.stdout!.resume();
    proc.child.stdin!.on('error', () => {});
    void proc.exited.then(
      () => {
        this.exitedEarly = this.done === undefined;
      },
      () => {},
    );
  }

  async write(frame: Uint8Array | { data: Uint8Array; width: number; height: number }): Promise<void> {
    const { width, height } = this.opts;
    const data = frame instanceof Uint8Array ? frame : frame.data;
    if (!(frame instanceof Uint8Array) && (frame.width !== width || frame.height !== height)) {
      throw new FrameSizeError(`writer is ${width}x${height}, frame is ${frame.width}x${frame.height}`);
    }
    if (data.length !== width * height * 3) {
      throw new FrameSizeError(`a ${width}x${height} rgb24 frame is ${width * height * 3} bytes, got ${data.length}`);
    }
    if (this.done !== undefined) throw new VideoWriteError(`${this.path}: write() after close() or abort()`);
    if (this.exitedEarly) throw this.failure('ffmpeg exited before the end of the video');
    const stdin = this.proc.child.stdin!;
    const ok = stdin.write(data);
    this.frames++;
    if (!ok) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          cleanup();
          resolve();
        };
        const onExit = () => {
          cleanup();
          reject(this.failure('ffmpeg exited before the end of the video'));
        };
        const cleanup = () => {
          stdin.off('drain', onDrain);
          this.proc.child.off('exit', onExit);
        };
        stdin.on('drain', onDrain);
        this.proc.child.on('exit', onExit);
      });
    }
  }

  close(): Promise<{ path: string; frames: number }> {
    if (this.done !== undefined) {
      return this.done.then(() => {
        throw new VideoWriteError(`${this.path}: close() after close() or abort()`);
      });
    }
    const p = (async () => {
      this.proc.child.stdin!.end();
      const { code, signal } = await this.proc.exited.catch(() => ({ code: -1, signal: null }));
      this.stderr.end();
      try {
        if (code !== 0) {
          await rm(this.tempPath, { force: true });
          throw this.failure(`ffmpeg exited with ${code ?? signal}`);
        }
        await rename(this.tempPath, this.path);
      } finally {
        this.reserved.release();
      }
      return { path: this.path, frames: this.frames };
    })();
    this.done = p.catch(() => {});
    return p;
  }

  abort(): Promise<void> {
    if (this.done !== undefined) return this.done.then(() => {});
    const p = (async () => {
      await this.proc.stop(this.opts.killGraceMs ?? 1000);
      await rm(this.tempPath, { force: true });
      this.reserved.release();
    })();
    this.done = p;
    return p;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // disposing without close() means the video is not wanted (an exception left the block)
    if (this.done === undefined) await this.abort();
    else await this.done;
  }

  private failure(what: string): VideoWriteError {
    const tail = this.stderr.tail();
    return new VideoWriteError(`${this.path}: ${what}: ${tail.slice(-3).join(' | ') || '(no message)'}`, tail);
  }
}

/**
 * Opens an encoder for annotated output: rgb24 frames are piped into ffmpeg, which writes a temp file next to
 * `path` (same extension, so the container follows it); close() renames it to `path`, abort() removes it.
 */
export async function openVideoWriter(path: string, opts: VideoWriterOptions): Promise<VideoWriter> {
  const { width, height, fps } = opts;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FrameSizeError(`writer size must be positive integers, got ${width}x${height}`);
  }
  if (!(fps > 0)) throw new AttributeError(`writer fps must be > 0, got ${fps}`);
  const ffmpeg = resolveFfmpeg(opts.ffmpegPath);
  const encoder = await pickEncoder(ffmpeg, opts.codec);
  // core's reservation: checked destination, short name, removed by a CLI's signal handler or at exit
  const reserved = reserveTempFile(path, 'video', extname(path));
  const final = reserved.target;
  const ext = extname(final);
  const tempPath = reserved.temp;
  // 4:2:0 needs even sizes: pad odd ones by a row/column (the picture is not scaled)
  const pad = width % 2 !== 0 || height % 2 !== 0 ? ['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2'] : [];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-framerate',
    String(fps),
    '-i',
    'pipe:0',
    '-an',
    ...pad,
    ...encoderArgs(encoder, fps, opts.crf),
    '-pix_fmt',
    'yuv420p',
    ...(ext === '.mp4' || ext === '.mov' ? ['-movflags', '+faststart'] : []),
    tempPath,
  ];
  const proc = spawnSupervised(ffmpeg, args, true);
  return new VideoWriterImpl(final, reserved, encoder, opts, proc);
}
