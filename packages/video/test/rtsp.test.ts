import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVideoSource, makeTestClip, openVideoSource, type VideoSourceState } from '../src/index.js';
import {
  ffmpegDescendants,
  freePort,
  IMAGES,
  type RtspServer,
  skipUnless,
  sleep,
  startRtspServer,
  tempDir,
  waitFor,
} from './helpers.js';

const skip = skipUnless('ffmpeg', 'gst', 'images');
const CYCLES = Number(process.env.OCELLUS_RTSP_CYCLES ?? 50);

describe.skipIf(skip)('RTSP on loopback (scripts/rtsp_server.py)', () => {
  const tmp = tempDir();
  let clip: string;
  let port: number;
  const servers: RtspServer[] = [];
  const serve = async () => {
    const s = await startRtspServer(port, 'cam', ['--clip', clip]);
    servers.push(s);
    return s;
  };

  beforeAll(async () => {
    // small: the server re-encodes it in real time for every (re)connection, from its first frame
    clip = (
      await makeTestClip({
        images: IMAGES.slice(0, 2),
        seconds: 4,
        fps: 30,
        width: 160,
        height: 120,
        out: join(tmp.dir, 'c.mp4'),
      })
    ).path;
    port = await freePort();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.kill('SIGTERM');
    expect(ffmpegDescendants()).toEqual([]);
  });
  afterAll(() => tmp.cleanup());

  it('frames arrive in order at the source rate', async () => {
    const server = await serve();
    const src = await openVideoSource(server.url);
    expect(src.info).toMatchObject({ width: 160, height: 120, kind: 'rtsp', live: true, codec: 'h264' });
    let n = 0;
    let lastPts = -1;
    let lastIndex = -1;
    for await (const f of src) {
      // RTSP's first two frames can share pts 0 (as ffmpeg itself reports them); after that they increase
      expect(f.ptsMs).toBeGreaterThanOrEqual(lastPts);
      // live: the burst ffmpeg buffered while probing may overrun the 4-frame buffer (drop-oldest): gaps allowed
      expect(f.index).toBeGreaterThan(lastIndex);
      lastIndex = f.index;
      lastPts = f.ptsMs;
      if (++n === 60) break;
    }
    const s = src.stats();
    expect(s.state).toBe('closed');
    expect(s.sourceFps).toBeGreaterThan(29);
    expect(s.sourceFps).toBeLessThan(31);
    expect(s.frames).toBe(s.delivered + s.dropped);
  });

  it(`server killed and restarted ${CYCLES} times: reconnects with backoff, no orphan, flat RSS`, async () => {
    let server = await serve();
    const src = await openVideoSource(server.url, {
      reconnect: { initialMs: 50, maxMs: 400, factor: 2 },
      stallTimeoutMs: 3000,
      openTimeoutMs: 5000,
      bufferFrames: 8,
      // keep RTSP probing short: the stream is H.264 with in-band parameter sets
      inputArgs: ['-analyzeduration', '300000', '-probesize', '100000'],
    });
    const states: VideoSourceState[] = [];
    const delays: number[] = [];
    src.on('state', (s) => states.push(s));
    src.on('reconnect', (_attempt, delayMs) => delays.push(delayMs));
    let received = 0;
    let lastIndex = -1;
    let lastPts = -1;
    let ordered = true;
    const consumer = (async () => {
      for await (const f of src) {
        received++;
        ordered &&= f.index > lastIndex && f.ptsMs >= lastPts;
        lastIndex = f.index;
        lastPts = f.ptsMs;
      }
    })();
    let rssWarm = 0;
    let maxChildren = 0;
    const t0 = performance.now();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const before = received;
      await waitFor(`frames in cycle ${cycle}`, () => received >= before + 5, 15_000);
      maxChildren = Math.max(maxChildren, ffmpegDescendants().length);
      await server.kill('SIGKILL');
      servers.pop();
      await waitFor(
        `reconnecting in cycle ${cycle}`,
        () => src.state === 'reconnecting' || src.state === 'connecting',
        10_000,
      );
      // once, leave the server down a while: the attempts fail and the delay grows 50, 100, 200, 400 (cap)
      if (cycle === 0) await sleep(900);
      server = await serve();
      if (cycle === 4) rssWarm = process.memoryUsage().rss;
    }
    await waitFor('frames after the last restart', () => src.stats().delivered > 0 && src.state === 'reading', 15_000);
    const elapsed = performance.now() - t0;
    const rssEnd = process.memoryUsage().rss;
    await src.close();
    await consumer;
    const s = src.stats();
    console.log(
      `${CYCLES} cycles in ${(elapsed / 1000).toFixed(1)} s: ${s.frames} frames, ${s.delivered} delivered, ` +
        `${s.dropped} dropped, ${s.reconnects} reconnects, delays ${[...new Set(delays)].join('/')} ms, ` +
        `RSS ${(rssWarm / 2 ** 20).toFixed(0)} -> ${(rssEnd / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(s.reconnects).toBeGreaterThanOrEqual(CYCLES);
    expect(states.filter((x) => x === 'reconnecting').length).toBeGreaterThanOrEqual(CYCLES);
    // backoff: doubles from 50 ms while the server is down, capped at 400
    expect(delays).toContain(50);
    expect(delays).toContain(100);
    expect(delays).toContain(400);
    expect(Math.max(...delays)).toBe(400);
    // every frame received is delivered or counted as dropped; the consumer saw them in order
    expect(s.frames).toBe(s.delivered + s.dropped);
    expect(received).toBe(s.delivered);
    expect(ordered).toBe(true);
    expect(maxChildren).toBe(1);
    expect(ffmpegDescendants()).toEqual([]);
    if (CYCLES >= 20) expect(rssEnd - rssWarm).toBeLessThan(40 * 2 ** 20);
  });

  it('watchdog: a server that stops sending (SIGSTOP) is restarted after stallTimeoutMs', async () => {
    const server = await serve();
    const src = await openVideoSource(server.url, {
      stallTimeoutMs: 800,
      openTimeoutMs: 4000,
      reconnect: { initialMs: 50, maxMs: 200 },
    });
    try {
      const reasons: string[] = [];
      src.on('reconnect', (_a, _d, reason) => reasons.push(reason));
      await src.read();
      server.proc.kill('SIGSTOP');
      const t0 = performance.now();
      await waitFor('a watchdog restart', () => reasons.length > 0, 5000);
      expect(performance.now() - t0).toBeLessThan(800 + 1500);
      expect(reasons[0]).toMatch(/no frame for 800 ms/);
      server.proc.kill('SIGCONT');
      const before = src.stats().frames;
      await waitFor('frames after SIGCONT', () => src.stats().frames > before + 5, 15_000);
      expect(src.stats().reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      server.proc.kill('SIGCONT');
      await src.close();
    }
  });

  it('close() while reconnecting returns within 2 s', async () => {
    const server = await serve();
    const src = createVideoSource(server.url, { reconnect: { initialMs: 10_000 } });
    await src.opened();
    await src.read();
    await server.kill('SIGKILL');
    servers.pop();
    await waitFor('reconnecting', () => src.state === 'reconnecting', 10_000);
    const t0 = performance.now();
    await src.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(src.state).toBe('closed');
  });
});
