import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveFfmpegPids } from '@ocellus/video';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { clip, ffmpegMentioning, freePort, haveRtspServer, probe, rtspServer } from '../stream/test-kit.js';
import type { SourceSummary } from '../stream/stats.js';
import { cleanTempDirs, run, tempDir } from '../test-io.js';

// Real components: clips made by ffmpeg here, mobilenetv3 / yolov8s with architecture-only weights.
const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));
const MODEL = ['--model', 'mobilenetv3', '--architecture-only'];

interface FrameLine {
  source: string;
  frame: number;
  ptsMs: number;
  latencyMs: number;
  result: { top?: { index: number; label: string; score: number }[]; detections?: unknown[] };
}
interface Summary {
  sources: SourceSummary[];
  lanes: { id: string; device: string; done: number; failed: number }[];
  stoppedBy: string;
  weights: { kind: string };
}

/** The frame lines and the summary of `stream --json` output; the summary must be the last line. */
function parse(stdout: string): { frames: FrameLine[]; summary: Summary } {
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as FrameLine | { summary: Summary });
  const last = lines.pop() as { summary?: Summary };
  expect(last.summary, 'the last line is the summary').toBeDefined();
  expect(lines.every((l) => 'frame' in l)).toBe(true);
  return { frames: lines as FrameLine[], summary: last.summary! };
}

const RTSP = haveRtspServer();
if (!RTSP && process.env.CI) throw new Error('CI is set and gst-rtsp-server (for /usr/bin/python3) is missing');
if (!RTSP) console.warn('skipping the RTSP stream test: gst-rtsp-server for /usr/bin/python3 missing');

const of = (frames: FrameLine[], source: string) => frames.filter((f) => f.source === source);

let dir: string;
let ten: string; // 3 s at 10 fps: 30 frames
let two: string; // 2 s at 10 fps: 20 frames
beforeAll(async () => {
  dir = await tempDir();
  ten = await clip(dir, 'ten.mp4', 3, 10);
  two = await clip(dir, 'two.mp4', 2, 10);
});
afterEach(() => {
  expect(liveFfmpegPids(), 'no ffmpeg left running').toEqual([]);
});
afterAll(cleanTempDirs);

describe('stream', () => {
  let single: FrameLine[] = [];

  it('a 3 s 10 fps clip gives exactly 30 JSON frame lines in order, then the summary', async () => {
    const r = await run('stream', ten, ...MODEL, '--json');
    expect(r.code, r.stderr).toBe(0);
    const { frames, summary } = parse(r.stdout);
    expect(frames.map((f) => f.frame)).toEqual([...Array(30).keys()]);
    expect(frames.map((f) => f.ptsMs)).toEqual([...Array(30).keys()].map((i) => i * 100));
    for (const f of frames) {
      expect(f.source).toBe(ten);
      expect(f.latencyMs).toBeGreaterThan(0);
      expect(f.result.top).toHaveLength(5);
    }
    expect(summary.sources).toHaveLength(1);
    const s = summary.sources[0]!;
    expect(s).toMatchObject({ source: ten, frames: 30, dropped: 0 });
    expect(s.sourceFps).toBeCloseTo(10, 2);
    expect(s.processingFps).toBeGreaterThan(0);
    expect(s.latencyMs.p50).toBeGreaterThan(0);
    expect(s.latencyMs.p99).toBeGreaterThanOrEqual(s.latencyMs.p50);
    expect(summary.lanes).toHaveLength(1);
    expect(summary.lanes[0]).toMatchObject({ id: 'lane0', done: 30, failed: 0 });
    expect(summary.stoppedBy).toBe('end of the sources');
    expect(summary.weights.kind).toBe('architecture-only');
    expect(r.stderr).toContain('architecture-only weights');
    expect(r.stderr, 'no status line when stderr is not a TTY').not.toContain('\x1b[');
    single = frames;
  });

  it('two sources at once over two lanes: each in frame order, the same results as one lane', async () => {
    const r = await run('stream', ten, two, ...MODEL, '--lanes', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { frames, summary } = parse(r.stdout);
    expect(of(frames, ten).map((f) => f.frame)).toEqual([...Array(30).keys()]);
    expect(of(frames, two).map((f) => f.frame)).toEqual([...Array(20).keys()]);
    // frame k's result is frame k's, whichever lane ran it
    expect(single).toHaveLength(30);
    expect(of(frames, ten).map((f) => f.result)).toEqual(single.map((f) => f.result));
    expect(summary.sources.map((s) => [s.source, s.frames, s.dropped])).toEqual([
      [ten, 30, 0],
      [two, 20, 0],
    ]);
    expect(summary.lanes.map((l) => l.id)).toEqual(['lane0', 'lane1']);
    expect(summary.lanes.reduce((n, l) => n + l.done, 0)).toBe(50);
  });

  it('--max-frames stops each source after N frames', async () => {
    const r = await run('stream', ten, two, ...MODEL, '--max-frames', '7', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { frames, summary } = parse(r.stdout);
    expect(of(frames, ten).map((f) => f.frame)).toEqual([...Array(7).keys()]);
    expect(of(frames, two).map((f) => f.frame)).toEqual([...Array(7).keys()]);
    expect(summary.sources.map((s) => s.frames)).toEqual([7, 7]);
    expect(summary.stoppedBy).toBe('--max-frames 7');
  });

  it('-o writes a playable annotated mp4 (yolov8s) with every frame, atomically', async () => {
    const out = join(dir, 'annotated.mp4');
    const r = await run('stream', two, '--model', 'yolov8s', '--architecture-only', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('stream summary');
    expect(r.stdout).toContain(`${two}: 20 frames, 0 dropped`);
    expect(r.stdout).toContain(out);
    expect(probe(out)).toEqual({ frames: 20, width: 160, height: 120 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a TTY gets a live status line per source', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { isTTY: true, write: (s: string) => (stderr += s) } };
    const code = await main(['stream', two, ...MODEL, '--json'], io);
    expect(code, stderr).toBe(0);
    const line = stderr.split('\x1b[2K').find((l) => l.startsWith(`${two}: `));
    expect(line, 'a status line for the source').toMatch(/: \d+ frames, [\d.]+ fps, latency \d+ ms, \d+ dropped\n/);
  });

  it.skipIf(!RTSP)('an RTSP source from the loopback server', async () => {
    const served = await clip(dir, 'served.mp4', 4, 30);
    const server = await rtspServer(served);
    try {
      const r = await run('stream', server.url, ...MODEL, '--max-frames', '20', '--json');
      expect(r.code, r.stderr).toBe(0);
      const { frames, summary } = parse(r.stdout);
      const s = summary.sources[0]!;
      // --max-frames counts the frames taken from the source: processed, or dropped by the scheduler's queue
      expect(frames.length + s.droppedByScheduler).toBe(20);
      expect(frames.length).toBeGreaterThan(0);
      expect(s).toMatchObject({ source: server.url, frames: frames.length });
      expect(s.dropped).toBe(s.droppedBySource + s.droppedByScheduler);
      // live: drop-oldest may skip frames, never reorder them
      const indices = frames.map((f) => f.frame);
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      expect(new Set(indices).size).toBe(indices.length);
    } finally {
      await server.stop();
    }
  });

  it('SIGINT mid-stream: the summary, exit 130, no output file, no ffmpeg left', async () => {
    const long = await clip(dir, 'long.mp4', 20, 30);
    const out = join(dir, 'interrupted.mp4');
    const child = spawn(process.execPath, [BIN, 'stream', long, ...MODEL, '--json', '-o', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sent && stdout.split('\n').length > 6) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    const { frames, summary } = parse(stdout);
    expect(summary.stoppedBy).toBe('interrupted (SIGINT)');
    expect(summary.sources[0]!.frames).toBe(frames.length);
    expect(frames.length).toBeGreaterThanOrEqual(5);
    expect(frames.length).toBeLessThan(600);
    expect(frames.map((f) => f.frame)).toEqual([...Array(frames.length).keys()]);
    expect(existsSync(out), 'an interrupted video is not kept').toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('interrupted'))).toEqual([]);
    expect(ffmpegMentioning(long)).toEqual([]);
    expect(ffmpegMentioning(dir)).toEqual([]);
  });
});

describe('stream: bad input, nothing left running', () => {
  it.each([
    ['an unknown scheme', ['foo://camera'], /scheme/i],
    ['a missing file', ['/nonexistent/clip.mp4'], /no such file: '\/nonexistent\/clip.mp4'/],
  ])('%s exits 1 naming it', async (_what, sources, message) => {
    const r = await run('stream', ...sources, ...MODEL);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('Usage:');
  });

  it('a file that is no video exits 1', async () => {
    const notVideo = join(dir, 'notes.mp4');
    await writeFile(notVideo, 'not a video\n');
    const r = await run('stream', notVideo, ...MODEL);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('notes.mp4');
  });

  it('an unreachable RTSP server exits 1', async () => {
    const url = `rtsp://127.0.0.1:${await freePort()}/cam`;
    const r = await run('stream', url, ...MODEL);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(url);
  });

  it('ffmpeg absent (--ffmpeg pointing at nothing) exits 1 before any work', async () => {
    const r = await run('stream', ten, ...MODEL, '--ffmpeg', '/nonexistent/ffmpeg');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/ffmpeg/);
    expect(r.stderr).not.toContain('architecture-only weights');
  });

  it.each([
    ['no --model', ['--architecture-only'], /missing --model/],
    ['a model it does not know', ['--model', 'edges', '--architecture-only'], /unknown --model 'edges'/],
    ['no weights', ['--model', 'mobilenetv3'], /missing --weights/],
    ['a bad --priority', [...MODEL, '--priority', 'urgent'], /unknown --priority 'urgent'/],
    ['--lanes 0', [...MODEL, '--lanes', '0'], /--lanes must be at least 1/],
    ['--max-frames 1.5', [...MODEL, '--max-frames', '1.5'], /--max-frames must be an integer/],
    ['a bad --backend', [...MODEL, '--backend', 'cpu,,x'], /invalid --backend/],
    ['-o to an image name', [...MODEL, '-o', 'x.png'], /-o 'x.png': use a video name/],
    ['an unknown option', [...MODEL, '--fps', '3'], /Unknown option '--fps'/],
  ])('%s exits 2 with the usage', async (_what, options, message) => {
    const r = await run('stream', ten, ...options);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: ocellus');
  });

  it('-o with two sources exits 2', async () => {
    const r = await run('stream', ten, two, ...MODEL, '-o', join(dir, 'x.mp4'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-o writes one annotated video');
  });
});
