import sharp, { type Sharp } from 'sharp';
import type { OpCall, Peer } from '../cases.js';
import type { BenchImage } from '../image.js';

/**
 * sharp (libvips) from the raw RGB buffer, as sharp is used: one pipeline per call, raw in, raw out,
 * so the pipeline setup is part of each time. The operation cache is off, or libvips could hand back a
 * result computed in an earlier iteration. libvips runs with sharp's own thread setting, reported.
 */
export function sharpPeer(img: BenchImage): Peer {
  sharp.cache(false);
  const raw = { raw: { width: img.width, height: img.height, channels: 3 as const } };
  const input = Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength);
  const run =
    (pipeline: (s: Sharp) => Sharp): OpCall =>
    () =>
      pipeline(sharp(input, raw)).raw().toBuffer();
  return {
    name: 'sharp',
    version:
      `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips} (concurrency ${sharp.concurrency()}, ` +
      `SIMD ${sharp.simd() ? 'on' : 'off'})`,
    ops: {
      gray: run((s) => s.greyscale()),
      'resize-960x540': run((s) => s.resize(960, 540, { kernel: 'linear', fit: 'fill' })),
      'resize-640x640': run((s) => s.resize(640, 640, { kernel: 'linear', fit: 'fill' })),
      // sigma 1.1 is what OpenCV derives for a 5x5 kernel; minAmplitude 0.1 makes libvips' mask 5 wide
      // (its default, 0.2, cuts it to 3 at this sigma; checked with an impulse image).
      'blur-5x5': run((s) => s.blur({ sigma: 1.1, minAmplitude: 0.1 })),
      canny: 'n/a',
    },
    notes: [
      "sharp gray: its own formula, Rec.709 luminance on linear light re-encoded to sRGB (not OpenCV's " +
        '0.299/0.587/0.114 on the encoded values)',
      "sharp resize 'linear': libvips filters over the whole footprint when shrinking (antialiased), more " +
        "work than INTER_LINEAR's 2x2 taps",
      'sharp blur: Gaussian sigma 1.1 with a 5-wide mask (minAmplitude 0.1), libvips integer precision',
      'sharp canny: n/a, sharp has no Canny',
      'sharp times include building the pipeline and copying raw pixels in and out on every call',
    ],
    close: () => {},
  };
}
