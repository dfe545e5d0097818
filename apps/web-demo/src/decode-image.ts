import { type Pixels, rgbaToRgb } from './pixels.js';

/**
 * Decodes an image file to RGB pixels the way core's decodeImage does in Node: no colour management
 * (no ICC or gamma conversion), no premultiplication, EXIF orientation applied. For opaque images the
 * bytes equal sharp's; the canvas rounds the colour of translucent pixels (it stores them premultiplied).
 */
export async function decodeImageFile(file: Blob): Promise<Pixels> {
  const bitmap = await createImageBitmap(file, {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
    imageOrientation: 'from-image',
  });
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser cannot create a 2D canvas to read the image pixels');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
    return rgbaToRgb(data, width, height);
  } finally {
    bitmap.close();
  }
}
