import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestClip } from '@ocellus/video';
import { IMAGES } from '../test-io.js';

/** Shared by the stream tests only (never imported by the CLI): clips, ffprobe, a loopback RTSP server. */

const RTSP_SERVER = fileURLToPath(new URL('../../../../scripts/rtsp_server.py', import.meta.url));
const PHOTOS = ['dog.jpg', 'horses.jpg', 'grace_hopper.jpg'].map((f) => join(IMAGES, f));

/** A constant-rate clip of exactly seconds*fps frames, made from the shared photos in `dir`. */
export async function clip(dir: string, name: string, seconds: number, fps: number, width = 160, height = 120) {
  const made = await makeTestClip({ images: PHOTOS, seconds, fps, width, height, out: join(dir, name) });
  return made.path;
}

/** ffprobe's decoded frame count and size of the first video stream. */
export function probe(path: string): { frames: number; width: number; height: number } {
  const out = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames,width,height',
      '-of',
      'json',
      path,
    ],
    { encoding: 'utf8' },
  );
  const s = (JSON.parse(out) as { streams: { nb_read_frames: string; width: number; height: number }[] }).streams[0]!;
  return { frames: Number(s.nb_read_frames), width: s.width, height: s.height };
}

/** Every ffmpeg process on the machine whose command line mentions `text` (zombies included). */
export function ffmpegMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      if (comm === 'ffmpeg' && cmd.includes(text)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Whether gst-rtsp-server is usable from the system python (the RTSP test's server). */
export function haveRtspServer(): boolean {
  try {
    const check = "import gi; gi.require_version('GstRtspServer', '1.0')";
    execFileSync('/usr/bin/python3', ['-c', check], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** scripts/rtsp_server.py serving `clipPath` at rtsp://127.0.0.1:<port>/cam, once it says "ready". */
export async function rtspServer(
  clipPath: string,
): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', [RTSP_SERVER, '--port', String(port), '--path', 'cam', '--clip', clipPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rtsp_server.py not ready in 15 s: ${err}`)), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rtsp_server.py exited with ${code}: ${err}`));
    });
  });
  return {
    url: `rtsp://127.0.0.1:${port}/cam`,
    proc,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
