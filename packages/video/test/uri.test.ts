import { describe, expect, it } from 'vitest';
import { decodeArgs, parseSource, UnknownSchemeError } from '../src/index.js';

// Pure argument building: no ffmpeg needed. V4L2 capture cannot be exercised on this machine (no
// v4l2loopback kernel module), so its ffmpeg arguments are what is tested.
describe('parseSource', () => {
  const o = { timeoutMs: 2500 };
  it('files: absolute path behind file:, not live', () => {
    const s = parseSource('/data/clip.mp4', o);
    expect(s).toEqual({ kind: 'file', live: false, inputArgs: ['-i', 'file:/data/clip.mp4'] });
    expect(parseSource('file:///data/a%20b.mp4', o).inputArgs).toEqual(['-i', 'file:/data/a b.mp4']);
    expect(parseSource('rel/x.mkv', o).inputArgs[1]).toBe(`file:${process.cwd()}/rel/x.mkv`);
  });
  it('rtsp: tcp transport and -timeout in microseconds (not the removed -stimeout), live', () => {
    const s = parseSource('rtsp://127.0.0.1:8554/cam', o);
    expect(s.kind).toBe('rtsp');
    expect(s.live).toBe(true);
    expect(s.inputArgs).toEqual(['-rtsp_transport', 'tcp', '-timeout', '2500000', '-i', 'rtsp://127.0.0.1:8554/cam']);
    expect(s.inputArgs).not.toContain('-stimeout');
  });
  it('http(s) and HLS: -rw_timeout, live', () => {
    const s = parseSource('https://example.com/live/index.m3u8', o);
    expect(s).toEqual({
      kind: 'http',
      live: true,
      inputArgs: ['-rw_timeout', '2500000', '-i', 'https://example.com/live/index.m3u8'],
    });
  });
  it('v4l2: /dev/videoN and v4l2:// with capture settings', () => {
    expect(parseSource('/dev/video0', o)).toEqual({
      kind: 'v4l2',
      live: true,
      inputArgs: ['-f', 'v4l2', '-i', '/dev/video0'],
    });
    const s = parseSource('v4l2:///dev/video2', {
      ...o,
      capture: { width: 1280, height: 720, fps: 30, inputFormat: 'mjpeg' },
    });
    expect(s.inputArgs).toEqual([
      '-f',
      'v4l2',
      '-input_format',
      'mjpeg',
      '-video_size',
      '1280x720',
      '-framerate',
      '30',
      '-i',
      '/dev/video2',
    ]);
  });
  it('image sequences: printf patterns and globs', () => {
    expect(parseSource('/f/img%03d.png', { ...o, imageFps: 10 }).inputArgs).toEqual([
      '-f',
      'image2',
      '-framerate',
      '10',
      '-i',
      '/f/img%03d.png',
    ]);
    const g = parseSource('/f/*.jpg', o);
    expect(g.kind).toBe('images');
    expect(g.inputArgs).toEqual(['-f', 'image2', '-pattern_type', 'glob', '-framerate', '25', '-i', '/f/*.jpg']);
  });
  it('unknown schemes are a named error', () => {
    expect(() => parseSource('gopher://x/y', o)).toThrow(UnknownSchemeError);
    expect(() => parseSource('gopher://x/y', o)).toThrow(/unknown video source scheme 'gopher:'.*supported/);
    expect(() => parseSource('', o)).toThrow(UnknownSchemeError);
  });
});

describe('decodeArgs', () => {
  it('rawvideo rgb24 on stdout, passthrough timing, showinfo last, scale and fps when asked', () => {
    const a = decodeArgs({ inputArgs: ['-i', 'file:/x.mp4'] });
    expect(a.join(' ')).toBe(
      '-hide_banner -nostdin -nostats -loglevel info -i file:/x.mp4 -map 0:v:0 -an -sn -dn ' +
        '-vf format=rgb24,showinfo=checksum=0,settb=1/1000,setpts=N -fps_mode passthrough -enc_time_base 1:1000 ' +
        '-f rawvideo -pix_fmt rgb24 pipe:1',
    );
    const b = decodeArgs({ inputArgs: ['-i', 'x'], width: 640, fps: 5 });
    expect(b[b.indexOf('-vf') + 1]).toBe('scale=640:-1,fps=5,format=rgb24,showinfo=checksum=0,settb=1/1000,setpts=N');
  });
});
