export { decodeImage, readImage, type DecodedImage, type DecodeOptions } from './decode.js';
export { encodeImage, formatFromPath, writeImage, type EncodeOptions, type ImageFormat } from './encode.js';
