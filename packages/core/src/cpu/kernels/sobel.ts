import { sobelOp } from '../../ops/sobel.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';
import { borderMap } from './border.js';

/** OpenCV's 3-tap derivative kernels by order: smoothing [1 2 1], first [-1 0 1], second [1 -2 1]. */
const TAPS: readonly (readonly [number, number, number])[] = [
  [1, 2, 1],
  [-1, 0, 1],
  [1, -2, 1],
];

/**
 * Sobel 3x3 as OpenCV's separable filter: the column kernel of order dy, then the row kernel of order dx.
 * Every intermediate is a small integer (|v| <= 16 * 255), so the float32 output is exact and equals
 * cv2.Sobel(img, CV_32F, dx, dy, ksize=3) whatever the order of the passes.
 */
export const sobelKernel = defineCpuKernel(sobelOp, ([image], [out], { dx, dy, border }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'float32');
  const [h, w, c] = image!.shape as [number, number, number];
  const [ya, yb, yc] = TAPS[dy]!;
  const [xa, xb, xc] = TAPS[dx]!;
  const rowLen = w * c;
  const rows = borderMap(h, 1, border);
  const cols = borderMap(w, 1, border);
  // the column pass of one row, with one pixel of border on each side for the row pass
  const tmp = new Int32Array(rowLen + 2 * c);
  const leftFrom = c + cols[0]! * c;
  const rightTo = (w + 1) * c;
  const rightFrom = c + cols[w + 1]! * c;
  for (let y = 0; y < h; y++) {
    const up = rows[y]! * rowLen;
    const mid = y * rowLen;
    const dn = rows[y + 2]! * rowLen;
    for (let e = 0; e < rowLen; e++) tmp[c + e] = ya * src[up + e]! + yb * src[mid + e]! + yc * src[dn + e]!;
    for (let ch = 0; ch < c; ch++) {
      tmp[ch] = tmp[leftFrom + ch]!;
      tmp[rightTo + ch] = tmp[rightFrom + ch]!;
    }
    const o = y * rowLen;
    const c2 = 2 * c;
    for (let e = 0; e < rowLen; e++) dst[o + e] = xa * tmp[e]! + xb * tmp[e + c]! + xc * tmp[e + c2]!;
  }
});
