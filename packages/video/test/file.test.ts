import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createVideoSource,
  makeTestClip,
  openVideoSource,
  openVideoWriter,
  type TestClip,
  type VideoFrame,
} from '../src/index.js';
import { ffmpegDescendants, IMAGES, SYSTEM_PYTHON, skipUnless, sleep, tempDir } from './helpers.js';

const skip = skipUnless('ffmpeg', 'images');
const skipCv2 = skip || skipUnless('cv2');

describe.skipIf(skip)('file sources', () => {
  const tmp = tempDir();
  let clip: TestClip;

  beforeAll(async () => {
    clip = await makeTestClip({
      images: IMAGES,
      seconds: 10,
      fps: 30,
      width: 320,
      height: 240,
      out: join(tmp.dir, 'c.mp4'),
    });
  });
  afterAll(() => tmp.cleanup());
  afterEach(() => expect(ffmpegDescendants()).toEqual([]));

  it('a 10 s, 30 fps clip gives exactly 300 frames, in order, at a measured 30.0 fps', async () => {
    expect(clip.frames).toBe(300);
    const src = await openVideoSource(clip.path);
    expect(src.info).toMatchObject({ width: 320, height: 240, nominalFps: 30, durationMs: 10_000, kind: 'file' });
    const pts: number[] = [];
    let i = 0;
    for await (const f of src) {
      expect(f.index).toBe(i++);
      expect([f.width, f.height, f.data.length, f.source]).toEqual([320, 240, 320 * 240 * 3, clip.path]);
      pts.push(f.ptsMs);
    }
    expect(pts.length).toBe(300);
    for (let k = 1; k < pts.length; k++) expect(pts[k]).toBeGreaterThan(pts[k - 1]);
    expect(pts[0]).toBe(0);
    expect(pts[299]).toBeCloseTo((299 * 1000) / 30, 3);
    const s = src.stats();
    expect(s.sourceFps).toBeGreaterThan(29.9);
    expect(s.sourceFps).toBeLessThan(30.1);
    expect(s).toMatchObject({ state: 'closed', frames: 300, delivered: 300, dropped: 0, reconnects: 0 });
  });

  it('pixels match ffmpeg writing frame k on its own (bytewise)', async () => {
    const ks = [0, 137, 299];
    const got = new Map<number, Uint8Array>();
    for await (const f of await openVideoSource(clip.path)) if (ks.includes(f.index)) got.set(f.index, f.data);
    for (const k of ks) {
      const out = join(tmp.dir, `f${k}.rgb`);
      execFileSync('ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-y', '-i', clip.path, '-vf', `select=eq(n\\,${k}),format=rgb24`],
        ...['-frames:v', '1', '-f', 'rawvideo', out],
      ]);
      const ref = readFileSync(out);
      expect(ref.length).toBe(320 * 240 * 3);
      expect(Buffer.from(got.get(k)!).equals(ref)).toBe(true);
    }
    // consecutive frames differ (the clip pans), so an off-by-one would have been caught
    expect(Buffer.from(got.get(0)!).equals(Buffer.from(got.get(137)!))).toBe(false);
  });

  it.skipIf(skipCv2)('pixels match OpenCV VideoCapture on the same file (independent decode)', async () => {
    const ks = [5, 150, 290];
    const got = new Map<number, Uint8Array>();
    for await (const f of await openVideoSource(clip.path)) if (ks.includes(f.index)) got.set(f.index, f.data);
    const script = `
import cv2, sys
cap = cv2.VideoCapture(sys.argv[1]); ks = set(int(k) for k in sys.argv[3].split(','))
n = 0
while True:
    ok, img = cap.read()
    if not ok: break
    if n in ks: open(sys.argv[2] + '/cv%d.rgb' % n, 'wb').write(cv2.cvtColor(img, cv2.COLOR_BGR2RGB).tobytes())
    n += 1
print(n)
`;
    const n = execFileSync(SYSTEM_PYTHON, ['-c', script, clip.path, tmp.dir, ks.join(',')])
      .toString()
      .trim();
    expect(Number(n)).toBe(300);
    for (const k of ks) {
      const ref = readFileSync(join(tmp.dir, `cv${k}.rgb`));
      const ours = got.get(k)!;
      expect(ref.length).toBe(ours.length);
      let sum = 0;
      let max = 0;
      for (let i = 0; i < ref.length; i++) {
        const d = Math.abs(ref[i] - ours[i]);
        sum += d;
        if (d > max) max = d;
      }
      // OpenCV converts YUV->BGR with its own rounding; the same frame differs by a few levels at most
      console.log(`frame ${k}: mean |diff| ${(sum / ref.length).toFixed(3)}, max ${max}`);
      expect(sum / ref.length).toBeLessThan(2);
      expect(max).toBeLessThan(40);
    }
  });

  it('backpressure: a slow consumer of a file loses no frame and ffmpeg is paused meanwhile', async () => {
    const src = await openVideoSource(clip.path, { bufferFrames: 2 });
    const seen: number[] = [];
    let maxBuffered = 0;
    for await (const f of src) {
      seen.push(f.index);
      const s = src.stats();
      maxBuffered = Math.max(maxBuffered, s.buffered);
      // slow for the first 40 frames (the pipe fills and ffmpeg blocks), then fast
      if (f.index < 40) await sleep(15);
    }
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(src.stats().dropped).toBe(0);
    // a 64 KiB pipe chunk holds less than one 230 KB frame: the buffer never grows past its bound
    expect(maxBuffered).toBeLessThanOrEqual(2);
  });

  it('live: true on a file drops the oldest frames for a slow consumer and counts them', async () => {
    const src = await openVideoSource(clip.path, { live: true, bufferFrames: 2, reconnect: { maxAttempts: 0 } });
    const got: VideoFrame[] = [];
    try {
      for (;;) {
        const f = await src.read();
        if (f === null) break;
        got.push(f);
        await sleep(20);
      }
    } catch (err) {
      // the file ends; as a live source with no reconnect attempts left that is a failure
      expect((err as { code?: string }).code).toBe('ERR_OCELLUS_VIDEO_STREAM');
    }
    await src.close();
    const s = src.stats();
    expect(s.dropped).toBeGreaterThan(0);
    expect(got.length + s.dropped).toBe(300);
    for (let k = 1; k < got.length; k++) expect(got[k].index).toBeGreaterThan(got[k - 1].index);
  });

  it('scales to a requested size and caps the rate with fps', async () => {
    const src = await openVideoSource(clip.path, { width: 160, height: 90, fps: 10 });
    let n = 0;
    for await (const f of src) {
      expect([f.width, f.height, f.data.length]).toEqual([160, 90, 160 * 90 * 3]);
      n++;
    }
    expect(n).toBe(100);
    expect(src.stats().sourceFps).toBeCloseTo(10, 1);
  });

  it('image sequences (printf pattern and glob)', async () => {
    const dir = join(tmp.dir, 'seq');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', clip.path, '-frames:v', '12'],
      join(dir, 'img%03d.png'),
    ]);
    for (const uri of [join(dir, 'img%03d.png'), join(dir, '*.png')]) {
      const src = await openVideoSource(uri, { imageFps: 4 });
      expect(src.kind).toBe('images');
      const frames: VideoFrame[] = [];
      for await (const f of src) frames.push(f);
      expect(frames.length).toBe(12);
      expect(frames.map((f) => f.ptsMs)).toEqual(Array.from({ length: 12 }, (_, i) => i * 250));
      expect(src.stats().sourceFps).toBeCloseTo(4, 5);
    }
  });

  it('writer: rgb24 in, a playable file out (temp + rename); abort removes the temp', async () => {
    const out = join(tmp.dir, 'annotated.mp4');
    const w = await openVideoWriter(out, { width: 320, height: 240, fps: 30 });
    expect(['libx264', 'mpeg4']).toContain(w.encoder);
    let n = 0;
    for await (const f of await openVideoSource(clip.path)) {
      if (n++ >= 60) break;
      await w.write(f);
    }
    await expect(w.write(new Uint8Array(10))).rejects.toMatchObject({ code: 'ERR_OCELLUS_FRAME_SIZE' });
    expect(readdirNames(tmp.dir)).toContain(w.tempPath.split('/').pop());
    expect(await w.close()).toEqual({ path: out, frames: 60 });
    const probe = execFileSync('ffprobe', [
      ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
      ...['-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', out],
    ]);
    expect(probe.toString().trim()).toBe('320,240,60');
    expect(readdirNames(tmp.dir)).not.toContain(w.tempPath.split('/').pop());
    // core's short temp name, on the process-wide list a CLI's signal handler cleans
    expect(w.tempPath.split('/').pop()).toMatch(/^\.ocl-[0-9a-f]{12}\.mp4$/);

    const aborted = join(tmp.dir, 'aborted.mp4');
    const w2 = await openVideoWriter(aborted, { width: 64, height: 48, fps: 10 });
    await w2.write(new Uint8Array(64 * 48 * 3));
    await w2.abort();
    expect(readdirNames(tmp.dir)).not.toContain(w2.tempPath.split('/').pop());
    expect(readdirNames(tmp.dir)).not.toContain('aborted.mp4');
  });

  it('close() while reading (ffmpeg paused by backpressure) returns within 2 s and leaves no process', async () => {
    const src = createVideoSource(clip.path, { bufferFrames: 1 });
    await src.opened();
    await sleep(300);
    expect(src.state).toBe('reading');
    expect(ffmpegDescendants().length).toBe(1);
    const t0 = performance.now();
    await src.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(src.state).toBe('closed');
    expect(await src.read()).toBeNull();
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir);
}
