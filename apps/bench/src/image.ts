import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import sharp from 'sharp';

export const WIDTH = 1920;
export const HEIGHT = 1080;

/** The benchmark's input, identical for every library. */
export interface BenchImage {
  /** 1920x1080x3 RGB, row-major. */
  readonly rgb: Uint8Array;
  /** 1920x1080x1 grey version of `rgb` (the input to Canny). */
  readonly gray: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** How it was made, for the report. */
  readonly source: string;
}

/**
 * The project's test photos live beside the repository in ../shared/images (never copied into it).
 * From apps/bench/dist that is four levels up, then shared/images.
 */
export function defaultImagePath(): string {
  return resolve(__dirname, '../../../../shared/images/horses.jpg');
}

/**
 * Decodes a real photo and scales it to 1920x1080 with sharp (lanczos3, cover: centre crop to 16:9).
 * sharp, not Ocellus' own resize, so the input does not depend on a kernel under test. The shared
 * photos are smaller than 1080p, so this is an upscale: smoother than a native 1080p photo.
 */
export async function loadBenchImage(path = defaultImagePath()): Promise<BenchImage> {
  if (!existsSync(path)) throw new Error(`benchmark image not found: ${path} (pass --image FILE)`);
  const meta = await sharp(path).metadata();
  const { data, info } = await sharp(path)
    .autoOrient()
    .toColourspace('srgb')
    .removeAlpha()
    .resize(WIDTH, HEIGHT, { fit: 'cover', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels from ${path}, got ${info.channels}`);
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return {
    rgb,
    gray: toGray(rgb),
    width: WIDTH,
    height: HEIGHT,
    source:
      `${basename(path)} (${meta.width}x${meta.height}) scaled to ${WIDTH}x${HEIGHT} with sharp (lanczos3, ` +
      'centre crop)',
  };
}

// OpenCV's RGB2GRAY fixed point (0.299, 0.587, 0.114 in Q14). Done once here, untimed, so that every
// library's Canny sees the very same grey bytes.
function toGray(rgb: Uint8Array): Uint8Array {
  const gray = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; j < gray.length; i += 3, j++) {
    gray[j] = (rgb[i]! * 4899 + rgb[i + 1]! * 9617 + rgb[i + 2]! * 1868 + 8192) >> 14;
  }
  return gray;
}
