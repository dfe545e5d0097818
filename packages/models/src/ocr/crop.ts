/**
 * PaddleOCR's get_rotate_crop_image: a text quad cut out of the image and rectified to an upright
 * rectangle (perspective warp of the quad onto its own width x height), turned 90 degrees
 * counter-clockwise (np.rot90) when it is much taller than wide (vertical text).
 */
import { type Quad, dist } from './geometry.js';
import { perspectiveTransform, warpPerspective } from './perspective-warp.js';

/** A host uint8 HWC image. */
export interface HostImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** height / width at or above which a crop is rotated (vertical text). */
export const VERTICAL_RATIO = 1.5;

export function rectifiedCrop(image: HostImage, quad: Quad): HostImage {
  const w = Math.max(1, Math.trunc(Math.max(dist(quad[0], quad[1]), dist(quad[2], quad[3]))));
  const h = Math.max(1, Math.trunc(Math.max(dist(quad[0], quad[3]), dist(quad[1], quad[2]))));
  const m = perspectiveTransform(quad, [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ]);
  const data = warpPerspective(image.data, image.height, image.width, image.channels, m, w, h);
  const crop = { data, width: w, height: h, channels: image.channels };
  return h / w >= VERTICAL_RATIO ? rotate90ccw(crop) : crop;
}

/** np.rot90 (counter-clockwise): out[i][j] = in[j][W-1-i], size W x H. */
export function rotate90ccw(img: HostImage): HostImage {
  const { width: W, height: H, channels: c, data } = img;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < W; i++) {
    for (let j = 0; j < H; j++) {
      const s = (j * W + (W - 1 - i)) * c;
      const d = (i * H + j) * c;
      for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
    }
  }
  return { data: out, width: H, height: W, channels: c };
}

/** cv2.rotate(img, ROTATE_180). */
export function rotate180(img: HostImage): HostImage {
  const { width: W, height: H, channels: c, data } = img;
  const out = new Uint8Array(data.length);
  const n = W * H;
  for (let p = 0; p < n; p++) {
    const s = (n - 1 - p) * c;
    for (let k = 0; k < c; k++) out[p * c + k] = data[s + k]!;
  }
  return { ...img, data: out };
}
