export {
  decodeImage,
  readImage,
  DEFAULT_MAX_PIXELS,
  DEFAULT_MAX_IMAGE_BYTES,
  type DecodedImage,
  type DecodeOptions,
} from './decode.js';
export { encodeImage, formatFromPath, writeImage, type EncodeOptions, type ImageFormat } from './encode.js';
