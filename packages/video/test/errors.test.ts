import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OcellusError } from '@ocellus/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createVideoSource,
  FfmpegNotFoundError,
  FrameSizeError,
  makeTestClip,
  NoVideoStreamError,
  openVideoSource,
  TruncatedFrameError,
  UnknownSchemeError,
  type VideoFrame,
  VideoOpenError,
  type VideoSource,
} from '../src/index.js';
import { blackhole, ffmpegDescendants, freePort, IMAGES, skipUnless, tempDir } from './helpers.js';

const skip = skipUnless('ffmpeg', 'images');

async function drain(src: VideoSource): Promise<{ frames: VideoFrame[]; error: unknown }> {
  const frames: VideoFrame[] = [];
  try {
    for await (const f of src) frames.push(f);
    return { frames, error: undefined };
  } catch (error) {
    return { frames, error };
  }
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

describe('errors that need no ffmpeg run', () => {
  it('unknown scheme', async () => {
    expect(() => createVideoSource('gopher://example.com/cam')).toThrow(UnknownSchemeError);
    await expect(openVideoSource('ftp://example.com/x.mp4')).rejects.toMatchObject({
      code: 'ERR_OCELLUS_UNKNOWN_SCHEME',
    });
  });
  it('ffmpeg absent: a nonexistent ffmpeg path, or a name not on PATH', async () => {
    const e = await openVideoSource('/tmp/x.mp4', { ffmpegPath: '/nonexistent/bin/ffmpeg' }).catch((x) => x);
    expect(e).toBeInstanceOf(FfmpegNotFoundError);
    expect(e).toBeInstanceOf(OcellusError);
    expect(e.code).toBe('ERR_OCELLUS_FFMPEG_NOT_FOUND');
    expect(e.message).toMatch(/apt-get install ffmpeg/);
    expect(() => createVideoSource('/tmp/x.mp4', { ffmpegPath: 'ffmpeg-that-is-not-here' })).toThrow(
      /ffmpeg-that-is-not-here not found on PATH: apt-get install ffmpeg/,
    );
    expect(ffmpegDescendants()).toEqual([]);
  });
  it('sizes over maxPixels are refused before anything runs', () => {
    expect(() => createVideoSource('/tmp/x.mp4', { width: 20000, height: 20000 })).toThrow(FrameSizeError);
  });
});

describe.skipIf(skip)('bad input', () => {
  const tmp = tempDir();
  let clip: string;
  beforeAll(async () => {
    clip = (
      await makeTestClip({
        images: IMAGES.slice(0, 2),
        seconds: 1,
        fps: 30,
        width: 320,
        height: 240,
        out: join(tmp.dir, 'c.mp4'),
      })
    ).path;
  });
  afterAll(() => tmp.cleanup());
  afterEach(() => expect(ffmpegDescendants()).toEqual([]));

  it('missing file: VideoOpenError with ffmpeg own reason', async () => {
    const r = await timed(openVideoSource(join(tmp.dir, 'no-such.mp4')));
    expect(r.error).toBeInstanceOf(VideoOpenError);
    expect((r.error as Error).message).toMatch(/No such file or directory/);
    expect((r.error as VideoOpenError).stderr.length).toBeGreaterThan(0);
  });

  it('a file that is not video at all: VideoOpenError', async () => {
    const junk = join(tmp.dir, 'junk.mp4');
    writeFileSync(junk, 'this is not a video file\n'.repeat(100));
    await expect(openVideoSource(junk)).rejects.toBeInstanceOf(VideoOpenError);
  });

  it('no video stream (audio only): NoVideoStreamError', async () => {
    const wav = join(tmp.dir, 'tone.wav');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=1', wav]);
    const e = await openVideoSource(wav).catch((x) => x);
    expect(e).toBeInstanceOf(NoVideoStreamError);
    expect(e.code).toBe('ERR_OCELLUS_NO_VIDEO_STREAM');
  });

  it('unreachable RTSP (nothing listening): named error at once', async () => {
    const port = await freePort();
    const r = await timed(openVideoSource(`rtsp://127.0.0.1:${port}/cam`, { openTimeoutMs: 3000 }));
    expect(r.error).toBeInstanceOf(VideoOpenError);
    expect((r.error as Error).message).toMatch(/Connection refused/);
    expect(r.ms).toBeLessThan(3000);
  });

  it('RTSP server that never answers: named error within the open timeout', async () => {
    const hole = await blackhole();
    try {
      const r = await timed(openVideoSource(`rtsp://127.0.0.1:${hole.port}/cam`, { openTimeoutMs: 1500 }));
      expect(r.error).toBeInstanceOf(OcellusError);
      expect(['ERR_OCELLUS_VIDEO_TIMEOUT', 'ERR_OCELLUS_VIDEO_OPEN']).toContain((r.error as OcellusError).code);
      expect(r.ms).toBeLessThan(1500 + 2000);
    } finally {
      await hole.close();
    }
  });

  it('a stream that ends mid-frame: whole frames delivered, the partial one reported', async () => {
    // an ffmpeg whose output is cut 2.17 frames in (a crash or a cut pipe look the same to the reader)
    const fake = join(tmp.dir, 'ffmpeg-cut');
    writeFileSync(fake, `#!/bin/sh\nffmpeg "$@" | head -c ${320 * 240 * 3 * 2 + 12345}\n`);
    chmodSync(fake, 0o755);
    const { frames, error } = await drain(await openVideoSource(clip, { ffmpegPath: fake }));
    expect(frames.map((f) => f.index)).toEqual([0, 1]);
    expect(error).toBeInstanceOf(TruncatedFrameError);
    expect(error).toMatchObject({ receivedBytes: 12345, frameBytes: 320 * 240 * 3 });
  });

  it('an image sequence whose size changes: the odd frame is reported, not delivered as garbage', async () => {
    const dir = join(tmp.dir, 'mixed');
    mkdirSync(dir);
    for (const [i, size] of ['64x48', '64x48', '32x24', '64x48'].entries()) {
      execFileSync('ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=red:s=${size}`],
        ...['-frames:v', '1', join(dir, `img${String(i + 1).padStart(3, '0')}.png`)],
      ]);
    }
    const { frames, error } = await drain(await openVideoSource(join(dir, 'img%03d.png')));
    expect(frames.length).toBe(2);
    for (const f of frames) expect([f.width, f.height, f.data[0] > 240, f.data[1] < 16]).toEqual([64, 48, true, true]);
    expect(error).toBeInstanceOf(OcellusError);
    expect(['ERR_OCELLUS_FRAME_SIZE', 'ERR_OCELLUS_TRUNCATED_FRAME']).toContain((error as OcellusError).code);
    expect((error as Error).message).toMatch(/32x24|middle of a frame/);
  });

  it('maxPixels: a stream bigger than allowed is refused', async () => {
    const e = await openVideoSource(clip, { maxPixels: 320 * 240 - 1 }).catch((x) => x);
    expect(e).toBeInstanceOf(FrameSizeError);
    expect(e.message).toMatch(/maxPixels/);
  });

  it('close() while connecting returns within 2 s, and opened() rejects', async () => {
    const hole = await blackhole();
    try {
      const src = createVideoSource(`rtsp://127.0.0.1:${hole.port}/cam`, { openTimeoutMs: 30_000 });
      const opened = src.opened().catch((x) => x);
      await new Promise((r) => setTimeout(r, 300));
      expect(src.state).toBe('connecting');
      expect(ffmpegDescendants().length).toBe(1);
      const r = await timed(src.close());
      expect(r.ms).toBeLessThan(2000);
      expect((await opened).code).toBe('ERR_OCELLUS_DISPOSED');
      expect(src.state).toBe('closed');
    } finally {
      await hole.close();
    }
  });

  it('close() after the end and after a failure is immediate', async () => {
    const src = await openVideoSource(clip);
    await drain(src);
    expect((await timed(src.close())).ms).toBeLessThan(100);
    const bad = createVideoSource(join(tmp.dir, 'nope.mp4'));
    await bad.opened().catch(() => {});
    expect(bad.state).toBe('failed');
    expect((await timed(bad.close())).ms).toBeLessThan(100);
  });

  it('the parent exiting kills its ffmpeg children (process-level registry, not unref)', async () => {
    // a child node process starts a source on an RTSP server that never answers (ffmpeg waits, writing
    // nothing, so no broken pipe would end it), prints the pid and exits
    const hole = await blackhole();
    const dist = resolve(__dirname, '../dist/index.js');
    const script = `
      const { createVideoSource } = await import(${JSON.stringify(dist)});
      const src = createVideoSource('rtsp://127.0.0.1:${hole.port}/cam', { openTimeoutMs: 60000 });
      await new Promise((r) => setTimeout(r, 300));
      console.log(src.stats().ffmpegPid);
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 200));
    const alive = (() => {
      try {
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    })();
    await hole.close();
    expect(alive).toBe(false);
  });

  it('an AbortSignal closes the source', async () => {
    const ac = new AbortController();
    const src = createVideoSource(clip, { signal: ac.signal, bufferFrames: 1 });
    await src.opened();
    ac.abort();
    await new Promise((r) => setTimeout(r, 1500));
    expect(src.state).toBe('closed');
  });
});
