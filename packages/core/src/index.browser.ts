/**
 * @ocellus/core for browsers: everything of the main entry except package discovery (a page registers
 * its backends itself) and file image I/O (decode in the page, e.g. with createImageBitmap, and pass
 * pixels to device.tensor). No node: imports. Importing it registers the CPU reference backend.
 */
export * from './portable.js';
// Pixel types only: decoding and encoding files needs sharp, which is Node-only.
export type { DecodedImage } from './image/decode.js';
