/**
 * PP-OCR detection input, as PaddleOCR's TextDetector prepares it: DetResizeForTest (limit type 'max',
 * side 960: shrink so the long side is at most 960, then round each side to a multiple of 32, at least
 * 32; cv2.resize INTER_LINEAR, here core's bilinear resize) and NormalizeImage on the image cv2 read,
 * which is BGR: channel 0 is blue and gets ImageNet's first mean/std (0.485/0.229), in float32.
 */
import { type Tensor, resize } from '@ocellus/core';

export const DET_LIMIT_SIDE = 960;
/** ImageNet mean/std in the order PaddleOCR applies them to B, G, R. */
const MEAN = [0.485, 0.456, 0.406].map(Math.fround);
const STD = [0.229, 0.224, 0.225].map(Math.fround);
const SCALE = Math.fround(1 / 255);

export interface DetSize {
  readonly height: number;
  readonly width: number;
}

/** resize_image_type0 with limit_type 'max'. */
export function detInputSize(height: number, width: number, limitSide = DET_LIMIT_SIDE): DetSize {
  const ratio = Math.max(height, width) > limitSide ? limitSide / Math.max(height, width) : 1;
  const h = Math.trunc(height * ratio);
  const w = Math.trunc(width * ratio);
  return { height: Math.max(roundHalfEven(h / 32) * 32, 32), width: Math.max(roundHalfEven(w / 32) * 32, 32) };
}

/** Python 3's round(). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Resize an RGB uint8 [H, W, 3] tensor to the detection size on its device and read the pixels back. */
export async function detResizedPixels(image: Tensor, size: DetSize): Promise<Uint8Array> {
  const [h, w] = image.shape as [number, number, number];
  if (h === size.height && w === size.width) return (await image.data()) as Uint8Array;
  using resized = resize(image, { width: size.width, height: size.height, interpolation: 'bilinear' });
  return (await resized.data()) as Uint8Array;
}

/** RGB HWC uint8 -> float32 [3, H, W] in BGR order, (x * (1/255) - mean) / std per channel, in float32. */
export function detNormalize(rgb: Uint8Array, height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(3 * plane);
  // a lookup per channel: 256 values, each computed in float32 exactly as numpy does
  const tables = [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = Math.fround(Math.fround(Math.fround(v * SCALE) - MEAN[c]!) / STD[c]!);
    return t;
  });
  const [tb, tg, tr] = tables as [Float32Array, Float32Array, Float32Array];
  for (let p = 0, s = 0; p < plane; p++, s += 3) {
    out[p] = tb[rgb[s + 2]!]!;
    out[plane + p] = tg[rgb[s + 1]!]!;
    out[2 * plane + p] = tr[rgb[s]!]!;
  }
  return out;
}
