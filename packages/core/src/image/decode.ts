import { readFile } from 'node:fs/promises';
import type { Device } from '../backend/device.js';
import { ImageDecodeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadSharp } from './sharp.js';

export interface DecodedImage {
  /** Row-major HWC uint8 pixels. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export interface DecodeOptions {
  /** 'rgb' (default: alpha dropped, grey expanded), 'rgba', or 'unchanged' (as stored: 1-4 channels). */
  mode?: 'rgb' | 'rgba' | 'unchanged';
  /** Name used in error messages when decoding a buffer. */
  name?: string;
}

/**
 * Decodes a JPEG, PNG or WebP file (or its bytes) to uint8 HWC pixels. The EXIF orientation is applied,
 * as OpenCV's imread does. Errors name the file and say what is wrong with it.
 */
export async function decodeImage(source: string | Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const name = typeof source === 'string' ? source : (options.name ?? '<buffer>');
  const bytes = typeof source === 'string' ? await readImageFile(source) : source;
  if (bytes.byteLength === 0) throw new ImageDecodeError(`image '${name}' is empty (0 bytes)`);
  const sharp = await loadSharp();
  try {
    let img = sharp(bytes, { failOn: 'error' }).autoOrient();
    const mode = options.mode ?? 'rgb';
    if (mode === 'unchanged') {
      // sharp outputs sRGB unless told otherwise: keep grey images grey.
      const { space } = await img.metadata();
      if (space === 'b-w' || space === 'grey16') img = img.toColourspace('b-w');
    } else {
      img = img.toColourspace('srgb');
    }
    if (mode === 'rgb') img = img.removeAlpha();
    if (mode === 'rgba') img = img.ensureAlpha();
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.width === 0 || info.height === 0) throw new Error('image has no pixels (0x0)');
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels,
    };
  } catch (err) {
    throw new ImageDecodeError(`cannot decode image '${name}': ${explain(err)}`, { cause: err });
  }
}

/** Decodes an image straight into a uint8 [H, W, C] tensor on `device`. */
export async function readImage(device: Device, source: string | Uint8Array, options: DecodeOptions = {}): Promise<Tensor> {
  const img = await decodeImage(source, options);
  return device.tensor(img.data, [img.height, img.width, img.channels], 'uint8');
}

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : explain(err);
    throw new ImageDecodeError(`cannot read image '${path}': ${why}`, { cause: err });
  }
}

function explain(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return 'not a JPEG, PNG or WebP image (unsupported image format)';
  if (/premature end|truncated|unexpected end|not enough data/i.test(msg)) return `the file is truncated or corrupt (${firstLine(msg)})`;
  return firstLine(msg);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
