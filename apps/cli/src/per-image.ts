/**
 * Commands over several images keep going when one cannot be read: its error goes to stderr (and into
 * the JSON as `{ image, error: { code, message } }`), the other images' results are kept, and the exit
 * code is 1 when any image failed. Errors that are not about one image (the model, the device) still
 * end the command.
 */
import { isOcellusError } from './errors.js';
import type { Io } from './io.js';

/** The codes of errors that belong to one input image. */
const IMAGE_ERRORS = new Set([
  'ERR_OCELLUS_IMAGE_DECODE',
  'ERR_OCELLUS_INPUT_LIMIT',
  'ERR_OCELLUS_IMAGE_INPUT',
  'ERR_OCELLUS_SHAPE',
]);

export interface ImageError {
  image: string;
  error: { code: string; message: string };
}

/** Runs `each` over the images; `failed` gets each image that failed (already reported on stderr). */
export async function forEachImage(
  images: readonly string[],
  io: Io,
  each: (image: string) => Promise<void>,
  failed: (e: ImageError) => void = () => {},
): Promise<ImageError[]> {
  const all: ImageError[] = [];
  for (const image of images) {
    try {
      await each(image);
    } catch (err) {
      if (!isOcellusError(err) || !IMAGE_ERRORS.has(err.code)) throw err;
      io.stderr.write(`ocellus: ${err.message}\n`);
      const e = { image, error: { code: err.code, message: err.message } };
      all.push(e);
      failed(e);
    }
  }
  return all;
}
