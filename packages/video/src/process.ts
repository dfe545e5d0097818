import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FfmpegNotFoundError } from './errors.js';

/**
 * Where the ffmpeg binary is: `explicit` (a path or a bare name) or `OCELLUS_FFMPEG`, else `ffmpeg` on PATH.
 * Throws FfmpegNotFoundError when it is not an executable file.
 */
export function resolveFfmpeg(explicit?: string): string {
  const wanted = explicit ?? process.env.OCELLUS_FFMPEG ?? 'ffmpeg';
  const candidates = wanted.includes('/')
    ? [wanted]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter((d) => d !== '')
        .map((d) => join(d, wanted));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not this one
    }
  }
  throw new FfmpegNotFoundError(
    wanted.includes('/')
      ? `ffmpeg not found at ${wanted} (not an executable file): apt-get install ffmpeg, or fix the ffmpegPath option`
      : `${wanted} not found on PATH: apt-get install ffmpeg (or pass the ffmpegPath option)`,
  );
}

// Every ffmpeg this package starts, until it has exited. On the parent's `exit` they are all killed (an
// `unref`ed child would outlive the parent). The listener is installed only while there are children, so
// no process-wide state is left behind; nothing else (signals, exit codes) is touched.
const live = new Set<ChildProcess>();
function killAllOnExit(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The children started by this package that have not exited yet (pids), for tests and diagnostics. */
export function liveFfmpegPids(): number[] {
  return [...live].map((c) => c.pid ?? -1);
}

export interface SupervisedChild {
  readonly child: ChildProcess;
  /** Resolves once the process has exited and its pipes are closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Safe to call repeatedly. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `file args` with stdio pipes, registered for kill-on-exit. Spawn failure is reported on `exited`. */
export function spawnSupervised(file: string, args: readonly string[], stdin = false): SupervisedChild {
  const child = spawn(file, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
  if (live.size === 0) process.on('exit', killAllOnExit);
  live.add(child);
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const done = () => {
      live.delete(child);
      if (live.size === 0) process.off('exit', killAllOnExit);
    };
    child.once('error', (err) => {
      spawnError = err;
      // 'close' does not always follow a failed spawn
      if (child.pid === undefined) {
        done();
        reject(err);
      }
    });
    child.once('close', (code, signal) => {
      done();
      if (spawnError && child.pid === undefined) reject(spawnError);
      else resolve({ code, signal });
    });
  });
  exited.catch(() => {});
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 1000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        await exited.catch(() => {});
        return;
      }
      // A paused reader leaves ffmpeg blocked in write(); closing our ends makes that write fail (EPIPE).
      child.stdout?.destroy();
      child.stdin?.destroy();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([exited.catch(() => {}), killed]);
      clearTimeout(timer);
      await exited.catch(() => {});
    })();
    return stopping;
  };
  return { child, exited, stop };
}

/** Splits a stream into lines (on \n and \r), keeping the last `keep` lines that `tailFilter` accepts. */
export class LineReader {
  private partial = '';
  private readonly tailLines: string[] = [];
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly keep = 20,
    private readonly tailFilter: (line: string) => boolean = () => true,
  ) {}
  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split(/\r\n|\n|\r/);
    this.partial = lines.pop() ?? '';
    // a runaway line without a newline must not grow without bound
    if (this.partial.length > 65536) this.partial = this.partial.slice(-65536);
    for (const line of lines) this.line(line);
  }
  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
  }
  tail(): string[] {
    return [...this.tailLines];
  }
  private line(line: string): void {
    this.onLine(line);
    if (line.trim() !== '' && this.tailFilter(line)) {
      this.tailLines.push(line);
      if (this.tailLines.length > this.keep) this.tailLines.shift();
    }
  }
}
