import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const IMAGES_DIR = process.env.OCELLUS_SHARED_IMAGES ?? resolve(__dirname, '../../../../shared/images');
export const IMAGES = ['dog.jpg', 'horses.jpg', 'opencv_fruits.jpg', 'grace_hopper.jpg'].map((f) =>
  join(IMAGES_DIR, f),
);
export const RTSP_SERVER = resolve(__dirname, '../../../scripts/rtsp_server.py');
export const SYSTEM_PYTHON = '/usr/bin/python3';

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a group of tests cannot run here, or undefined when it can. With CI set, a missing tool is an error:
 * the caller throws instead of skipping.
 */
export function missing(what: 'ffmpeg' | 'gst' | 'cv2' | 'images'): string | undefined {
  switch (what) {
    case 'ffmpeg':
      return works('ffmpeg', ['-hide_banner', '-version']) ? undefined : 'ffmpeg not on PATH (apt-get install ffmpeg)';
    case 'gst':
      return works(SYSTEM_PYTHON, [
        '-c',
        "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer",
      ])
        ? undefined
        : 'gst-rtsp-server for /usr/bin/python3 missing (apt-get install python3-gi gir1.2-gst-rtsp-server-1.0 ' +
            'gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-libav)';
    case 'cv2':
      return works(SYSTEM_PYTHON, ['-c', 'import cv2']) ? undefined : 'python3-opencv missing for /usr/bin/python3';
    case 'images':
      return IMAGES.every((f) => existsSync(f)) ? undefined : `test photos missing under ${IMAGES_DIR}`;
  }
}

/** Skips (with the reason printed) or, under CI, fails when a tool is missing. Returns whether to skip. */
export function skipUnless(...tools: ('ffmpeg' | 'gst' | 'cv2' | 'images')[]): boolean {
  const reasons = tools.map(missing).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return false;
  if (process.env.CI) throw new Error(`CI is set and a video test dependency is missing: ${reasons.join('; ')}`);
  console.warn(`skipping video tests: ${reasons.join('; ')}`);
  return true;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-video-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** pids of every descendant of this process whose command is ffmpeg (zombies included), from /proc. */
export function ffmpegDescendants(): number[] {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      comm.set(Number(name), stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // exited meanwhile
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid), n = 0; p !== undefined && p > 1 && n < 64; p = parent.get(p), n++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  return [...comm].filter(([pid, c]) => c === 'ffmpeg' && mine(pid)).map(([pid]) => pid);
}

export async function freePort(): Promise<number> {
  return new Promise((resolveP, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolveP(port));
    });
  });
}

/** A TCP server on loopback that accepts connections and never answers (an RTSP server that hangs). */
export async function blackhole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const srv = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

export interface RtspServer {
  url: string;
  proc: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts scripts/rtsp_server.py on 127.0.0.1:port and waits for its "ready". */
export async function startRtspServer(port: number, path: string, args: string[]): Promise<RtspServer> {
  const proc = spawn(SYSTEM_PYTHON, [RTSP_SERVER, '--port', String(port), '--path', path, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-2000);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await new Promise<void>((resolveP, reject) => {
    const timer = setTimeout(() => reject(new Error(`rtsp_server.py not ready in 15 s: ${err}`)), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) {
        clearTimeout(timer);
        resolveP();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rtsp_server.py exited with ${code}: ${err}`));
    });
  });
  return {
    url: `rtsp://127.0.0.1:${port}/${path}`,
    proc,
    kill: async (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGCONT'); // a stopped server (watchdog test) would not act on SIGTERM
        proc.kill(signal);
      }
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
