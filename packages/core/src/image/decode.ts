import type { Device } from '../backend/device.js';
import { ImageDecodeError, InputLimitError } from '../errors.js';
import { formatBytes, readBounded } from '../io/read-bounded.js';
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
  /** The most pixels (width x height) accepted, checked from the header before decoding. Default 100 Mpx. */
  maxPixels?: number;
  /** The largest file accepted. Default 512 MiB. */
  maxBytes?: number;
  /**
   * The EXIF orientation tag: 'apply' (default) turns the pixels upright as OpenCV's imread does;
   * 'ignore' keeps them as stored, as PIL's Image.open (and so torchvision) does.
   */
  orientation?: 'apply' | 'ignore';
}

/** Default pixel limit: a 16000x16000 PNG of 249 KB would otherwise take 1 GB to decode. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
export const DEFAULT_MAX_IMAGE_BYTES = 512 * 1024 * 1024;
const MODES = ['rgb', 'rgba', 'unchanged'] as const;

/**
 * Decodes a JPEG, PNG or WebP file (or its bytes) to uint8 HWC pixels. The EXIF orientation is applied,
 * as OpenCV's imread does. Errors name the file and say what is wrong with it.
 */
export async function decodeImage(source: string | Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const name = typeof source === 'string' ? source : (options.name ?? '<buffer>');
  const mode = options.mode ?? 'rgb';
  if (!MODES.includes(mode)) {
    throw new ImageDecodeError(`unknown decode mode '${String(mode)}' for '${name}': expected ${MODES.join(', ')}`);
  }
  const maxPixels = limit(options.maxPixels, DEFAULT_MAX_PIXELS, 'maxPixels');
  const maxBytes = limit(options.maxBytes, DEFAULT_MAX_IMAGE_BYTES, 'maxBytes');
  const bytes = typeof source === 'string' ? await readImageFile(source, maxBytes) : source;
  if (bytes.byteLength === 0) throw new ImageDecodeError(`image '${name}' is empty (0 bytes)`);
  const sharp = await loadSharp();
  let header: { width?: number; height?: number };
  try {
    header = await sharp(bytes).metadata();
  } catch (err) {
    throw new ImageDecodeError(`cannot decode image '${name}': ${explain(err)}`, { cause: err });
  }
  const pixels = (header.width ?? 0) * (header.height ?? 0);
  if (pixels > maxPixels) {
    throw new InputLimitError(
      `image '${name}' is ${header.width}x${header.height} (${(pixels / 1e6).toFixed(1)} Mpx), over the limit of ` +
        `${(maxPixels / 1e6).toFixed(1)} Mpx: pass maxPixels (CLI: --max-pixels) to raise it`,
    );
  }
  try {
    // ignoreIcc: the stored values, as OpenCV's imread reads them (it ignores embedded colour profiles;
    // converting a Display P3 or XYZ-profiled file to sRGB moved pixels up to 145 levels away from it)
    let img = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, ignoreIcc: true });
    if (options.orientation === undefined || options.orientation === 'apply') img = img.autoOrient();
    else if (options.orientation !== 'ignore') {
      throw new ImageDecodeError(`orientation must be 'apply' or 'ignore', got '${String(options.orientation)}'`);
    }
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
export async function readImage(
  device: Device,
  source: string | Uint8Array,
  options: DecodeOptions = {},
): Promise<Tensor> {
  const img = await decodeImage(source, options);
  return device.tensor(img.data, [img.height, img.width, img.channels], 'uint8');
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputLimitError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

async function readImageFile(path: string, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readBounded(path, {
      maxBytes,
      what: 'image',
      raise: `pass maxBytes to raise it (now ${formatBytes(maxBytes)})`,
    });
  } catch (err) {
    if (err instanceof InputLimitError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : explain(err);
    throw new ImageDecodeError(`cannot read image '${path}': ${why}`, { cause: err });
  }
}

function explain(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return 'not a JPEG, PNG or WebP image (unsupported image format)';
  if (/premature end|truncated|unexpected end|not enough data/i.test(msg))
    return `the file is truncated or corrupt (${firstLine(msg)})`;
  // sharp says "Input buffer has corrupt header:" with nothing after it, or "Unknown error": say what that means
  if (/corrupt header:?\s*$/i.test(firstLine(msg)) || /^unknown error$/i.test(firstLine(msg))) {
    return 'its header is not a valid JPEG, PNG or WebP header (a corrupt or mislabelled file)';
  }
  return firstLine(msg);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
