/**
 * Recognition and direction-classifier inputs from text crops, as PaddleOCR's TextRecognizer and
 * TextClassifier build them: each crop resized (cv2 INTER_LINEAR, core's resizeLinearU8) to height 48
 * keeping its aspect ratio (width ceil(48 * w / h), at most the batch width), (x / 255 - 0.5) / 0.5 in
 * float32, channels B, G, R (PaddleOCR's crops come from a cv2 BGR image), zero padded on the right.
 */
import { resizeLinearU8 } from '@ocellus/core';
import type { HostImage } from './crop.js';

export const LINE_HEIGHT = 48;
/** PP-OCRv4 rec_image_shape 3,48,320: a batch is at least this wide. */
export const REC_BASE_WIDTH = 320;
/** cls_image_shape 3,48,192: every crop is fitted into this width. */
export const CLS_WIDTH = 192;

/** ((x / 255) - 0.5) / 0.5 for every uint8, in float32 as numpy computes it. */
const TABLE = (() => {
  const t = new Float32Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.fround(Math.fround(Math.fround(v / 255) - 0.5) / 0.5);
  return t;
})();

/** The width of a recognition batch: 48 * the widest aspect ratio, at least 320 (int() as Python). */
export function recBatchWidth(crops: readonly HostImage[]): number {
  let ratio = REC_BASE_WIDTH / LINE_HEIGHT;
  for (const c of crops) ratio = Math.max(ratio, c.width / c.height);
  return Math.trunc(LINE_HEIGHT * ratio);
}

/** float32 [n, 3, 48, width] from RGB crops. */
export function lineBatch(crops: readonly HostImage[], width: number): { data: Float32Array; dims: number[] } {
  const plane = LINE_HEIGHT * width;
  const data = new Float32Array(crops.length * 3 * plane);
  for (const [i, crop] of crops.entries()) {
    const ceil = Math.ceil(LINE_HEIGHT * (crop.width / crop.height));
    const resizedW = Math.max(1, Math.min(ceil, width));
    const resized = new Uint8Array(LINE_HEIGHT * resizedW * crop.channels);
    resizeLinearU8(crop.data, crop.height, crop.width, crop.channels, resized, LINE_HEIGHT, resizedW);
    const base = i * 3 * plane;
    const cn = crop.channels;
    for (let y = 0; y < LINE_HEIGHT; y++) {
      for (let x = 0; x < resizedW; x++) {
        const s = (y * resizedW + x) * cn;
        const d = base + y * width + x;
        data[d] = TABLE[resized[s + 2]!]!;
        data[d + plane] = TABLE[resized[s + 1]!]!;
        data[d + 2 * plane] = TABLE[resized[s]!]!;
      }
    }
  }
  return { data, dims: [crops.length, 3, LINE_HEIGHT, width] };
}
