import { extname } from 'node:path';
import { DTypeError, ImageEncodeError, ShapeError } from '../errors.js';
import { checkOutputPath, writeFileAtomic } from '../io/atomic-write.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { DecodedImage } from './decode.js';
import { loadSharp } from './sharp.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface EncodeOptions {
  /** Defaults to the file extension (.png, .jpg/.jpeg, .webp). */
  format?: ImageFormat;
  /** JPEG/WebP quality 1-100 (default 90). */
  quality?: number;
}

/** Encodes uint8 HWC pixels (1, 2, 3 or 4 channels) to PNG, JPEG or WebP bytes. */
export async function encodeImage(
  image: DecodedImage | Tensor,
  format: ImageFormat,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  const img = image instanceof Tensor ? await tensorPixels(image) : image;
  const sharp = await loadSharp();
  try {
    let s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } });
    // sharp writes sRGB unless told otherwise: keep one-channel (and grey+alpha) images grey.
    if (img.channels <= 2) s = s.toColourspace('b-w');
    const q = options.quality ?? 90;
    const out = format === 'png' ? s.png() : format === 'jpeg' ? s.jpeg({ quality: q }) : s.webp({ quality: q });
    return new Uint8Array(await out.toBuffer());
  } catch (err) {
    throw new ImageEncodeError(
      `cannot encode a ${img.width}x${img.height}x${img.channels} image as ${format}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/**
 * Writes an image file atomically (core's writeFileAtomic): the destination is checked before the
 * image is encoded, then a temp file beside the target is renamed over it. On any error nothing is
 * left behind and an existing target is untouched; a symlink's file is replaced, the link kept.
 */
export async function writeImage(
  path: string,
  image: DecodedImage | Tensor,
  options: EncodeOptions = {},
): Promise<void> {
  const format = options.format ?? formatFromPath(path);
  checkOutputPath(path, 'image');
  const bytes = await encodeImage(image, format, options);
  await writeFileAtomic(path, bytes, 'image');
}

export function formatFromPath(path: string): ImageFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  if (ext === '.webp') return 'webp';
  throw new ImageEncodeError(
    `cannot tell the image format of '${path}': use a .png, .jpg, .jpeg or .webp name, or pass { format }`,
  );
}

async function tensorPixels(t: Tensor): Promise<DecodedImage> {
  if (t.dtype !== 'uint8') throw new DTypeError(`only uint8 images can be encoded, got ${t.describe()}`);
  const [h, w, c] = t.shape;
  if (t.shape.length !== 3 || !h || !w || !c || c > 4) {
    throw new ShapeError(
      `an image to encode must be [height, width, 1-4 channels] and non-empty, got ${formatShape(t.shape)}`,
    );
  }
  return { data: (await t.data()) as Uint8Array, width: w, height: h, channels: c };
}
