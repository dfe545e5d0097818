import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { DisposedError } from '@ocellus/core';
import { FrameSizeError, VideoStreamError, VideoTimeoutError } from './errors.js';
import { resolveFfmpeg } from './process.js';
import { DecodeSession, type SessionEnd, type StreamInfo } from './session.js';
import { parseSource, type SourceKind, type SourceSpec } from './uri.js';

/** One decoded frame: `data` is height x width x 3 bytes, RGB, row-major (HWC), owned by the consumer. */
export interface VideoFrame {
  /** The URI the source was opened with. */
  source: string;
  /** 0-based position in everything received from ffmpeg (gaps = frames dropped for a slow consumer). */
  index: number;
  /** Presentation time in ms (stream time; monotonic across reconnects, see README). */
  ptsMs: number;
  width: number;
  height: number;
  data: Uint8Array;
  /** performance.now() when the whole frame had arrived (for latency measurements). */
  receivedAtMs: number;
}

/**
 * connecting: ffmpeg is starting / opening the source. reading: the stream is open (frames flow).
 * reconnecting: a live stream was lost; waiting out the backoff. ended: a file reached its end.
 * failed: a fatal error (read() throws it once the buffered frames are out). closed: close() was called.
 */
export type VideoSourceState = 'connecting' | 'reading' | 'reconnecting' | 'ended' | 'failed' | 'closed';

export interface ReconnectOptions {
  /** First delay after a lost stream (ms); default 500. */
  initialMs?: number;
  /** Largest delay (ms); default 10 000. */
  maxMs?: number;
  /** Growth per failed attempt in a row; default 2. */
  factor?: number;
  /** Give up (state failed) after this many attempts in a row without a frame; default Infinity. */
  maxAttempts?: number;
}

export interface VideoSourceOptions {
  /** ffmpeg binary (path or name on PATH); default $OCELLUS_FFMPEG or `ffmpeg`. */
  ffmpegPath?: string;
  /** Override the live-ness derived from the URI (rtsp/http/v4l2 live; files and image sequences not). */
  live?: boolean;
  /** Output size (`-vf scale`); give one of them to keep the aspect ratio. Default: the stream's size. */
  width?: number;
  height?: number;
  /** Output frame rate (`-vf fps`); default: every decoded frame. */
  fps?: number;
  /** Frame rate of an image sequence (`-framerate`); default 25. */
  imageFps?: number;
  /** V4L2 capture request. */
  capture?: { width?: number; height?: number; fps?: number; inputFormat?: string };
  /** Extra ffmpeg arguments placed before the input's own (e.g. ['-re'] to read a file at its rate). */
  inputArgs?: string[];
  /** Frames held for the consumer; default 4. Files pause ffmpeg when full; live sources drop the oldest. */
  bufferFrames?: number;
  /** Largest width*height accepted; default 100 000 000. */
  maxPixels?: number;
  /** Time to open the source (until ffmpeg reports the stream); default 10 000 ms. Also ffmpeg's I/O timeout. */
  openTimeoutMs?: number;
  /** Watchdog: restart a live source (fail a file) when no frame came for this long while reading; 10 000 ms. */
  stallTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  /** SIGTERM-to-SIGKILL grace when stopping ffmpeg; default 1000 ms. */
  killGraceMs?: number;
  /** Aborting closes the source. */
  signal?: AbortSignal;
}

export interface VideoSourceStats {
  state: VideoSourceState;
  /** Frames received from ffmpeg (delivered + dropped + buffered). */
  frames: number;
  delivered: number;
  /** Frames dropped: oldest-first for a slow consumer of a live source, plus those buffered at close(). */
  dropped: number;
  buffered: number;
  /** New ffmpeg runs started after the first one. */
  reconnects: number;
  /** Measured source rate: intervals between consecutive frames / their pts span (per run, summed). */
  sourceFps: number;
  /** The rate ffmpeg reported for the input stream, if any. */
  nominalFps: number | undefined;
  width: number | undefined;
  height: number | undefined;
  /** pid of the running ffmpeg, if one is running. */
  ffmpegPid: number | undefined;
  /** The message of the last error (fatal or one that caused a reconnect). */
  lastError: string | undefined;
}

export interface VideoSourceInfo extends StreamInfo {
  uri: string;
  kind: SourceKind;
  live: boolean;
}

export interface VideoSourceEvents {
  state: [state: VideoSourceState, previous: VideoSourceState, reason: string | undefined];
  open: [info: VideoSourceInfo];
  reconnect: [attempt: number, delayMs: number, reason: string];
}

export interface VideoSource extends AsyncIterable<VideoFrame>, AsyncDisposable {
  readonly uri: string;
  readonly kind: SourceKind;
  readonly live: boolean;
  readonly state: VideoSourceState;
  /** Stream facts once open (size, nominal fps, duration, codec), undefined before. */
  readonly info: VideoSourceInfo | undefined;
  /** Resolves when the stream first opened; rejects with the named error if it could not. */
  opened(): Promise<VideoSourceInfo>;
  /** The next frame; null at the end (file ended or closed); throws the fatal error after the last frame. */
  read(): Promise<VideoFrame | null>;
  stats(): VideoSourceStats;
  /** Stops ffmpeg (SIGTERM, SIGKILL after the grace) from any state; resolves when no process is left. */
  close(): Promise<void>;
  on<K extends keyof VideoSourceEvents>(event: K, listener: (...args: VideoSourceEvents[K]) => void): this;
  off<K extends keyof VideoSourceEvents>(event: K, listener: (...args: VideoSourceEvents[K]) => void): this;
}

const TERMINAL: ReadonlySet<VideoSourceState> = new Set(['ended', 'failed', 'closed']);

class VideoSourceImpl extends EventEmitter implements VideoSource {
  readonly uri: string;
  readonly kind: SourceKind;
  readonly live: boolean;
  info: VideoSourceInfo | undefined;
  state: VideoSourceState = 'connecting';

  private readonly spec: SourceSpec;
  private readonly ffmpeg: string;
  private readonly o: Required<
    Pick<VideoSourceOptions, 'bufferFrames' | 'maxPixels' | 'openTimeoutMs' | 'stallTimeoutMs' | 'killGraceMs'>
  >;
  private readonly backoff: Required<ReconnectOptions>;
  private session: DecodeSession | undefined;
  private readonly buffer: VideoFrame[] = [];
  private readonly waiters: { resolve: (f: VideoFrame | null) => void; reject: (e: Error) => void }[] = [];
  private error: Error | undefined;
  private openWaiters: { resolve: (i: VideoSourceInfo) => void; reject: (e: Error) => void }[] = [];
  private everOpened = false;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly abort?: { signal: AbortSignal; listener: () => void };

  private frames = 0;
  private delivered = 0;
  private dropped = 0;
  private reconnects = 0;
  private failuresInRow = 0;
  private intervals = 0;
  private spanMs = 0;
  private lastError: string | undefined;
  // pts bookkeeping: per run and across runs
  private runFirstPts: number | undefined;
  private runPrevPts: number | undefined;
  private runBase = 0;
  private lastPtsMs: number | undefined;
  private lastIntervalMs = 0;
  private lastFrameAt = 0;

  constructor(
    uri: string,
    private readonly opts: VideoSourceOptions,
  ) {
    super();
    const timeoutMs = opts.openTimeoutMs ?? 10_000;
    this.spec = parseSource(uri, { timeoutMs, imageFps: opts.imageFps, capture: opts.capture });
    this.ffmpeg = resolveFfmpeg(opts.ffmpegPath);
    const maxPixels = opts.maxPixels ?? 100_000_000;
    for (const [name, v] of [
      ['width', opts.width],
      ['height', opts.height],
    ] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
        throw new FrameSizeError(`${name} must be a positive integer, got ${v}`);
      }
    }
    if (opts.width !== undefined && opts.height !== undefined && opts.width * opts.height > maxPixels) {
      throw new FrameSizeError(`${opts.width}x${opts.height} is over maxPixels (${maxPixels})`);
    }
    this.uri = uri;
    this.kind = this.spec.kind;
    this.live = opts.live ?? this.spec.live;
    this.o = {
      bufferFrames: Math.max(1, opts.bufferFrames ?? 4),
      maxPixels,
      openTimeoutMs: timeoutMs,
      stallTimeoutMs: opts.stallTimeoutMs ?? 10_000,
      killGraceMs: opts.killGraceMs ?? 1000,
    };
    this.backoff = {
      initialMs: opts.reconnect?.initialMs ?? 500,
      maxMs: opts.reconnect?.maxMs ?? 10_000,
      factor: opts.reconnect?.factor ?? 2,
      maxAttempts: opts.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY,
    };
    if (opts.signal !== undefined) {
      const listener = () => void this.close();
      this.abort = { signal: opts.signal, listener };
      if (opts.signal.aborted) queueMicrotask(listener);
      else opts.signal.addEventListener('abort', listener, { once: true });
    }
    this.startRun();
  }

  opened(): Promise<VideoSourceInfo> {
    if (this.info !== undefined) return Promise.resolve(this.info);
    if (this.error !== undefined) return Promise.reject(this.error);
    if (TERMINAL.has(this.state)) return Promise.reject(new DisposedError(`${this.uri}: closed before it opened`));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  read(): Promise<VideoFrame | null> {
    const frame = this.buffer.shift();
    if (frame !== undefined) {
      this.delivered++;
      this.maybeResume();
      return Promise.resolve(frame);
    }
    if (this.state === 'failed') return Promise.reject(this.error);
    if (TERMINAL.has(this.state)) return Promise.resolve(null);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<VideoFrame> {
    try {
      for (;;) {
        const frame = await this.read();
        if (frame === null) return;
        yield frame;
      }
    } finally {
      await this.close();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  stats(): VideoSourceStats {
    return {
      state: this.state,
      frames: this.frames,
      delivered: this.delivered,
      dropped: this.dropped,
      buffered: this.buffer.length,
      reconnects: this.reconnects,
      sourceFps: this.spanMs > 0 ? (this.intervals * 1000) / this.spanMs : 0,
      nominalFps: this.info?.nominalFps,
      width: this.info?.width,
      height: this.info?.height,
      ffmpegPid: this.session?.pid,
      lastError: this.lastError,
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.clearTimer();
      if (this.abort) this.abort.signal.removeEventListener('abort', this.abort.listener);
      this.dropped += this.buffer.length;
      this.buffer.length = 0;
      this.setState('closed', 'close()');
      for (const w of this.waiters.splice(0)) w.resolve(null);
      this.rejectOpen(new DisposedError(`${this.uri}: closed before it opened`));
      const session = this.session;
      this.session = undefined;
      await session?.stop();
    })();
    return this.closing;
  }

  private setState(state: VideoSourceState, reason?: string): void {
    if (this.state === state) return;
    const previous = this.state;
    this.state = state;
    this.emit('state', state, previous, reason);
  }

  private startRun(): void {
    this.setState('connecting');
    this.runFirstPts = undefined;
    this.runPrevPts = undefined;
    this.paused = false;
    const session = new DecodeSession(
      {
        ffmpeg: this.ffmpeg,
        uri: this.uri,
        inputArgs: [...(this.opts.inputArgs ?? []), ...this.spec.inputArgs],
        width: this.opts.width,
        height: this.opts.height,
        fps: this.opts.fps,
        maxPixels: this.o.maxPixels,
        killGraceMs: this.o.killGraceMs,
      },
      {
        onOpen: (info) => this.onOpen(session, info),
        onFrame: (data, pts) => this.onFrame(session, data, pts),
        onEnd: (end) => this.onEnd(session, end),
      },
    );
    this.session = session;
    this.armTimer(this.o.openTimeoutMs, () => {
      const s = this.o.openTimeoutMs;
      session.fail(new VideoTimeoutError(`${this.uri}: not open within ${s} ms`, session.stderrTail()));
    });
  }

  private onOpen(session: DecodeSession, info: StreamInfo): void {
    if (session !== this.session) return;
    this.info = { uri: this.uri, kind: this.kind, live: this.live, ...info };
    this.everOpened = true;
    this.setState('reading');
    this.armStallTimer();
    this.emit('open', this.info);
    for (const w of this.openWaiters.splice(0)) w.resolve(this.info);
  }

  private onFrame(session: DecodeSession, data: Uint8Array, runPts: number): void {
    if (session !== this.session) return;
    const now = performance.now();
    if (this.runFirstPts === undefined) {
      this.runFirstPts = runPts;
      this.failuresInRow = 0;
      // the first run keeps the stream's own times; later runs continue after the last frame, with the outage
      if (this.lastPtsMs !== undefined) {
        this.runBase = this.lastPtsMs + Math.max(this.lastIntervalMs, now - this.lastFrameAt) - runPts;
      } else {
        this.runBase = 0;
      }
    } else if (this.runPrevPts !== undefined && runPts > this.runPrevPts) {
      this.intervals++;
      this.spanMs += runPts - this.runPrevPts;
      this.lastIntervalMs = runPts - this.runPrevPts;
    }
    this.runPrevPts = runPts;
    const ptsMs = this.runBase + runPts;
    this.lastPtsMs = ptsMs;
    this.lastFrameAt = now;
    const info = this.info!;
    const frame: VideoFrame = {
      source: this.uri,
      index: this.frames++,
      ptsMs,
      width: info.width,
      height: info.height,
      data,
      receivedAtMs: now,
    };
    this.armStallTimer();
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.delivered++;
      waiter.resolve(frame);
      return;
    }
    this.buffer.push(frame);
    if (this.live) {
      while (this.buffer.length > this.o.bufferFrames) {
        this.buffer.shift();
        this.dropped++;
      }
    } else if (this.buffer.length >= this.o.bufferFrames && !this.paused) {
      this.paused = true;
      this.clearTimer();
      session.pause();
    }
  }

  private maybeResume(): void {
    if (this.paused && this.buffer.length < this.o.bufferFrames && this.session !== undefined) {
      this.paused = false;
      this.session.resume();
      if (this.state === 'reading') this.armStallTimer();
    }
  }

  private onEnd(session: DecodeSession, end: SessionEnd): void {
    if (session !== this.session) return;
    this.clearTimer();
    this.session = undefined;
    if (this.state === 'closed') return;
    if (end.ok) {
      if (this.live && this.everOpened) {
        this.scheduleReconnect('the stream ended');
        return;
      }
      this.setState('ended', 'end of stream');
      for (const w of this.waiters.splice(0)) w.resolve(null);
      return;
    }
    this.lastError = end.error.message;
    if (this.live && this.everOpened && !(end.error instanceof FrameSizeError && /maxPixels/.test(end.error.message))) {
      this.scheduleReconnect(end.error.message);
      return;
    }
    this.fail(end.error);
  }

  private scheduleReconnect(reason: string): void {
    if (this.failuresInRow >= this.backoff.maxAttempts) {
      this.fail(
        new VideoStreamError(`${this.uri}: gave up after ${this.failuresInRow} reconnect attempts; last: ${reason}`),
      );
      return;
    }
    const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** this.failuresInRow);
    this.failuresInRow++;
    this.setState('reconnecting', reason);
    this.emit('reconnect', this.failuresInRow, delayMs, reason);
    this.armTimer(delayMs, () => {
      if (this.state !== 'reconnecting') return;
      this.reconnects++;
      this.startRun();
    });
  }

  private fail(error: Error): void {
    this.error = error;
    this.lastError = error.message;
    this.setState('failed', error.message);
    this.rejectOpen(error);
    // buffered frames are still read out first; waiters exist only when the buffer is empty
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  private rejectOpen(error: Error): void {
    for (const w of this.openWaiters.splice(0)) w.reject(error);
  }

  private armStallTimer(): void {
    const session = this.session;
    if (session === undefined || this.paused) return;
    const ms = this.o.stallTimeoutMs;
    if (this.timer !== undefined && this.timerKind === 'stall') {
      this.timer.refresh();
      return;
    }
    this.armTimer(ms, () => {
      session.fail(new VideoTimeoutError(`${this.uri}: no frame for ${ms} ms`, session.stderrTail()));
    });
    this.timerKind = 'stall';
  }

  private timerKind: 'stall' | 'other' | undefined;

  private armTimer(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timerKind = 'other';
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerKind = undefined;
      fn();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerKind = undefined;
  }
}

/**
 * Creates a source and starts ffmpeg at once; errors of the URI or a missing ffmpeg throw here, errors of
 * opening come from opened()/read(). Use this to watch or close() a source while it is still connecting.
 */
export function createVideoSource(uri: string, options: VideoSourceOptions = {}): VideoSource {
  return new VideoSourceImpl(uri, options);
}

/** Opens a source and waits until ffmpeg has opened the stream (named error, within openTimeoutMs, if not). */
export async function openVideoSource(uri: string, options: VideoSourceOptions = {}): Promise<VideoSource> {
  const source = createVideoSource(uri, options);
  try {
    await source.opened();
  } catch (err) {
    await source.close();
    throw err;
  }
  return source;
}
