import {
  FfmpegNotFoundError,
  FrameSizeError,
  NoVideoStreamError,
  TruncatedFrameError,
  VideoOpenError,
  VideoStreamError,
} from './errors.js';
import { LineReader, type SupervisedChild, spawnSupervised } from './process.js';

/** What ffmpeg said about the stream it opened (from its stream dump on stderr). */
export interface StreamInfo {
  /** Size of the frames delivered (after `-vf scale` when a size was requested). */
  width: number;
  height: number;
  /** The input stream's frame rate as ffmpeg reports it (tbr/fps), if it did. */
  nominalFps?: number;
  /** The input's duration (files), if known. */
  durationMs?: number;
  /** The input codec's name (h264, mjpeg, png, ...). */
  codec?: string;
}

export type SessionEnd = { ok: true } | { ok: false; error: Error; stoppedByUs: boolean };

export interface SessionHandlers {
  onOpen(info: StreamInfo): void;
  /** A whole frame, in output order; `ptsMs` from showinfo's pts and time base (stream time of this run). */
  onFrame(data: Uint8Array, ptsMs: number): void;
  onEnd(end: SessionEnd): void;
}

export interface SessionConfig {
  ffmpeg: string;
  uri: string;
  /** Everything up to and including `-i <input>`. */
  inputArgs: string[];
  width?: number;
  height?: number;
  fps?: number;
  maxPixels: number;
  killGraceMs: number;
}

/** The full ffmpeg command line for one decoding run (exported for tests and the README). */
export function decodeArgs(cfg: Pick<SessionConfig, 'inputArgs' | 'width' | 'height' | 'fps'>): string[] {
  const filters: string[] = [];
  if (cfg.width !== undefined || cfg.height !== undefined) {
    filters.push(`scale=${cfg.width ?? -1}:${cfg.height ?? -1}`);
  }
  if (cfg.fps !== undefined) filters.push(`fps=${cfg.fps}`);
  // showinfo logs every frame's pts, time base and size on stderr (checksum=0 keeps it cheap). After it, the
  // frames are renumbered 0, 1, 2, ... so the muxer never sees two equal timestamps (live streams have them;
  // it would drop the frame after showinfo counted it, and the pairing of pts with frames would slip).
  filters.push('format=rgb24', 'showinfo=checksum=0', 'settb=1/1000', 'setpts=N');
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...cfg.inputArgs,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    filters.join(','),
    // one output frame per decoded frame: no duplicates or drops to force a constant rate
    '-fps_mode',
    'passthrough',
    '-enc_time_base',
    '1:1000',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
}

const SHOWINFO = /^\[Parsed_showinfo_\d+ @ [^\]]+\] /;
const SHOWINFO_FRAME = /\bn:\s*(\d+)\s+pts:\s*(-?\d+|NOPTS)\s+pts_time:(\S+).*?\bs:(\d+)x(\d+)/;
const SHOWINFO_TB = /config in time_base: (\d+)\/(\d+)/;
const STREAM_SIZE = /[ ,]([1-9]\d{0,5})x([1-9]\d{0,5})(?=[ ,[]|$)/;

interface FrameMeta {
  ptsMs: number;
  width: number;
  height: number;
}

/** One ffmpeg run: spawns it, parses its stderr, cuts stdout into frames and pairs each with its pts. */
export class DecodeSession {
  private readonly proc: SupervisedChild;
  private readonly stderr: LineReader;
  private info: StreamInfo | undefined;
  private inOutput = false;
  private nominalFps: number | undefined;
  private durationMs: number | undefined;
  private codec: string | undefined;
  private tb: [number, number] | undefined;
  private readonly metas: FrameMeta[] = [];
  private readonly frames: Uint8Array[] = [];
  private early: Buffer[] | undefined = [];
  private earlyBytes = 0;
  private current: Uint8Array | undefined;
  private offset = 0;
  private frameBytes = 0;
  private lastPts: number | undefined;
  private failure: Error | undefined;
  private stopped = false;
  private ended = false;

  constructor(
    private readonly cfg: SessionConfig,
    private readonly handlers: SessionHandlers,
  ) {
    this.stderr = new LineReader(
      (l) => this.onStderrLine(l),
      20,
      (l) => !SHOWINFO.test(l),
    );
    this.proc = spawnSupervised(cfg.ffmpeg, decodeArgs(cfg));
    const { child } = this.proc;
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    // EPIPE and friends after a stop: the exit handler reports what matters
    child.stdout!.on('error', () => {});
    child.stderr!.on('error', () => {});
    this.proc.exited.then(
      ({ code, signal }) => this.finish(code, signal),
      (err: NodeJS.ErrnoException) => this.finishSpawnError(err),
    );
  }

  get pid(): number | undefined {
    return this.proc.child.pid;
  }

  get opened(): boolean {
    return this.info !== undefined;
  }

  /** Stop reading stdout (ffmpeg then blocks on its write: backpressure without loss). */
  pause(): void {
    this.proc.child.stdout?.pause();
  }

  resume(): void {
    this.proc.child.stdout?.resume();
  }

  /** End this run with `error` (a timeout, a size violation): stops ffmpeg, reported on onEnd. */
  fail(error: Error): void {
    this.failure ??= error;
    void this.proc.stop(this.cfg.killGraceMs);
  }

  /** Stop ffmpeg (no error); resolves when the process is gone. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.proc.stop(this.cfg.killGraceMs);
  }

  stderrTail(): string[] {
    return this.stderr.tail();
  }

  private onStderrLine(line: string): void {
    if (SHOWINFO.test(line)) {
      const m = SHOWINFO_FRAME.exec(line);
      if (m) {
        this.onShowinfo(m);
        return;
      }
      const tb = SHOWINFO_TB.exec(line);
      if (tb) this.tb = [Number(tb[1]), Number(tb[2])];
      return;
    }
    // after a failure (the open timeout may fire just as the stream opens) the run is over: no late open
    if (this.info !== undefined || this.failure !== undefined || this.stopped) return;
    if (line.startsWith('Output #0')) {
      this.inOutput = true;
      return;
    }
    const dur = /^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (dur) this.durationMs = ((Number(dur[1]) * 60 + Number(dur[2])) * 60 + Number(dur[3])) * 1000;
    if (!/^\s*Stream #\d+:\d+.*: Video: /.test(line)) return;
    if (!this.inOutput) {
      this.codec ??= /: Video: ([\w-]+)/.exec(line)?.[1];
      const fps = /, (\d+(?:\.\d+)?k?) (?:fps|tbr)\b/.exec(line)?.[1];
      if (fps !== undefined && this.nominalFps === undefined) {
        this.nominalFps = fps.endsWith('k') ? Number(fps.slice(0, -1)) * 1000 : Number(fps);
      }
      return;
    }
    const size = STREAM_SIZE.exec(line.slice(line.indexOf(': Video: ')));
    if (!size) {
      this.fail(new VideoOpenError(`cannot read the frame size from ffmpeg's output line: ${line.trim()}`));
      return;
    }
    const width = Number(size[1]);
    const height = Number(size[2]);
    if (width * height > this.cfg.maxPixels) {
      this.fail(
        new FrameSizeError(
          `${this.cfg.uri}: frames of ${width}x${height} (${width * height} pixels) are over maxPixels ` +
            `(${this.cfg.maxPixels}); request a smaller size (width/height) or raise maxPixels`,
        ),
      );
      return;
    }
    this.info = {
      width,
      height,
      nominalFps: this.nominalFps,
      durationMs: this.durationMs,
      codec: this.codec,
    };
    this.frameBytes = width * height * 3;
    this.handlers.onOpen(this.info);
    const early = this.early ?? [];
    this.early = undefined;
    for (const chunk of early) this.onStdout(chunk);
  }

  private onShowinfo(m: RegExpExecArray): void {
    let ptsMs: number;
    if (m[2] !== 'NOPTS' && this.tb !== undefined && this.tb[1] !== 0) {
      ptsMs = (Number(m[2]) * this.tb[0] * 1000) / this.tb[1];
    } else if (m[3] !== 'NOPTS' && Number.isFinite(Number(m[3]))) {
      ptsMs = Number(m[3]) * 1000;
    } else {
      ptsMs = this.lastPts === undefined ? 0 : this.lastPts + 1000 / (this.nominalFps ?? 25);
    }
    this.metas.push({ ptsMs, width: Number(m[4]), height: Number(m[5]) });
    this.pair();
  }

  private onStdout(chunk: Buffer): void {
    if (this.failure !== undefined || this.stopped) return;
    if (this.early !== undefined) {
      // ffmpeg dumps the output stream before writing, but stderr and stdout are separate pipes
      this.early.push(chunk);
      this.earlyBytes += chunk.length;
      if (this.earlyBytes > 64 << 20) this.fail(new VideoOpenError('ffmpeg wrote video before saying its size'));
      return;
    }
    let pos = 0;
    while (pos < chunk.length) {
      this.current ??= new Uint8Array(this.frameBytes);
      const n = Math.min(chunk.length - pos, this.frameBytes - this.offset);
      this.current.set(chunk.subarray(pos, pos + n), this.offset);
      this.offset += n;
      pos += n;
      if (this.offset === this.frameBytes) {
        this.frames.push(this.current);
        this.current = undefined;
        this.offset = 0;
      }
    }
    this.pair();
  }

  /** Hands out frames whose bytes and showinfo line have both arrived. */
  private pair(): void {
    while (this.frames.length > 0 && this.metas.length > 0 && this.failure === undefined && !this.stopped) {
      const meta = this.metas.shift()!;
      const data = this.frames.shift()!;
      if (meta.width !== this.info!.width || meta.height !== this.info!.height) {
        this.fail(
          new FrameSizeError(
            `${this.cfg.uri}: frame size changed mid-stream from ${this.info!.width}x${this.info!.height} to ` +
              `${meta.width}x${meta.height}; request a fixed output size (width/height options)`,
          ),
        );
        return;
      }
      this.lastPts = meta.ptsMs;
      this.handlers.onFrame(data, meta.ptsMs);
    }
  }

  private finishSpawnError(err: NodeJS.ErrnoException): void {
    const error =
      err.code === 'ENOENT' || err.code === 'EACCES'
        ? new FfmpegNotFoundError(`cannot start ${this.cfg.ffmpeg} (${err.code}): apt-get install ffmpeg`, {
            cause: err,
          })
        : new VideoOpenError(`cannot start ${this.cfg.ffmpeg}: ${err.message}`);
    this.end({ ok: false, error, stoppedByUs: false });
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    this.stderr.end();
    const tail = this.stderr.tail();
    const last = tail.slice(-4).join(' | ') || '(no message)';
    const how = code !== null ? `code ${code}` : `signal ${signal}`;
    // frames whose showinfo line never came (should not happen): estimated pts
    while (this.info !== undefined && this.frames.length > 0 && this.failure === undefined && !this.stopped) {
      this.metas.push({
        ptsMs: this.lastPts === undefined ? 0 : this.lastPts + 1000 / (this.nominalFps ?? 25),
        width: this.info.width,
        height: this.info.height,
      });
      this.pair();
    }
    if (this.failure !== undefined) {
      this.end({ ok: false, error: this.failure, stoppedByUs: false });
      return;
    }
    if (this.stopped) {
      this.end({ ok: false, error: new VideoStreamError('stopped'), stoppedByUs: true });
      return;
    }
    if (this.info === undefined) {
      const text = tail.join('\n');
      const error =
        /matches no streams|does not contain any stream|no video stream/i.test(text) ||
        /Output file #0 does not contain/.test(text)
          ? new NoVideoStreamError(`${this.cfg.uri} has no video stream (ffmpeg: ${last})`, tail)
          : new VideoOpenError(`cannot open ${this.cfg.uri}: ffmpeg exited with ${how}: ${last}`, tail);
      this.end({ ok: false, error, stoppedByUs: false });
      return;
    }
    const odd = this.metas.find((m) => m.width !== this.info!.width || m.height !== this.info!.height);
    if (odd !== undefined) {
      this.end({
        ok: false,
        error: new FrameSizeError(
          `${this.cfg.uri}: frame size changed mid-stream from ${this.info.width}x${this.info.height} to ` +
            `${odd.width}x${odd.height}; the frames from there on were not delivered (request a fixed output ` +
            'size with the width/height options)',
        ),
        stoppedByUs: false,
      });
      return;
    }
    if (this.offset > 0) {
      this.end({
        ok: false,
        error: new TruncatedFrameError(
          `${this.cfg.uri} ended in the middle of a frame: ${this.offset} of ${this.frameBytes} bytes ` +
            `(${this.info.width}x${this.info.height} rgb24); the partial frame was not delivered (ffmpeg: ${last})`,
          this.offset,
          this.frameBytes,
        ),
        stoppedByUs: false,
      });
      return;
    }
    if (code !== 0) {
      const error = new VideoStreamError(`ffmpeg exited with ${how} while reading ${this.cfg.uri}: ${last}`, tail);
      this.end({ ok: false, error, stoppedByUs: false });
      return;
    }
    this.end({ ok: true });
  }

  private end(end: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onEnd(end);
  }
}
