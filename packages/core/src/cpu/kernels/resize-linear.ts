/**
 * OpenCV INTER_LINEAR for uint8 images, shared by the resize and letterbox kernels.
 *
 * Mirrors OpenCV 4.6 cv::resize (imgproc/src/resize.cpp) step for step so the output is the same
 * bytes users get from cv2.resize: coordinates computed in double then rounded to float, Q11 weights
 * (INTER_RESIZE_COEF_BITS = 11), a horizontal pass into int rows kept in a two-row cache, then the
 * vertical pass of OpenCV's uint8 specialisation of VResizeLinear. An exact halving takes OpenCV's
 * INTER_AREA shortcut instead, as cv::resize does.
 */

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;

/** Source index pair and Q11 weight pair for every destination index along one axis. */
export interface LinearAxis {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w0: Int32Array;
  readonly w1: Int32Array;
}

/** cv::saturate_cast<short>(float): cvRound (ties to even, as the SSE conversion does), clamped. */
function saturateShort(v: number): number {
  let r = Math.round(v);
  if (r - v === 0.5 && r % 2 !== 0) r -= 1;
  return Math.max(-32768, Math.min(32767, r));
}

/**
 * Pixel-centre mapping with OpenCV's float rounding. Horizontally OpenCV also zeroes the fraction at
 * the borders (sx < 0, sx >= src - 1); vertically it keeps the weights and only clips the row indices.
 */
export function linearAxis(src: number, dst: number, horizontal: boolean): LinearAxis {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const w0 = new Int32Array(dst);
  const w1 = new Int32Array(dst);
  // OpenCV derives the scale from inv_scale = dst / src, so 1 / (dst / src) is not always src / dst.
  const scale = 1 / (dst / src);
  for (let d = 0; d < dst; d++) {
    const f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    let frac = Math.fround(f - s);
    if (horizontal && s < 0) {
      s = 0;
      frac = 0;
    }
    if (horizontal && s >= src - 1) {
      s = src - 1;
      frac = 0;
    }
    i0[d] = Math.min(Math.max(s, 0), src - 1);
    i1[d] = Math.min(Math.max(s + 1, 0), src - 1);
    // Each weight is rounded on its own, exactly as OpenCV does (not 2048 - w0).
    w0[d] = saturateShort(Math.fround(1 - frac) * COEF_SCALE);
    w1[d] = saturateShort(frac * COEF_SCALE);
  }
  return { i0, i1, w0, w1 };
}

/** Per-element (pixel x channel) source offsets and weights of the horizontal pass. */
interface ColumnTable {
  readonly ofs0: Int32Array;
  readonly ofs1: Int32Array;
  readonly a0: Int32Array;
  readonly a1: Int32Array;
}

function columnTable(srcW: number, dstW: number, cn: number): ColumnTable {
  const x = linearAxis(srcW, dstW, true);
  const n = dstW * cn;
  const t = { ofs0: new Int32Array(n), ofs1: new Int32Array(n), a0: new Int32Array(n), a1: new Int32Array(n) };
  for (let dx = 0, e = 0; dx < dstW; dx++) {
    for (let k = 0; k < cn; k++, e++) {
      t.ofs0[e] = x.i0[dx]! * cn + k;
      t.ofs1[e] = x.i1[dx]! * cn + k;
      t.a0[e] = x.w0[dx]!;
      t.a1[e] = x.w1[dx]!;
    }
  }
  return t;
}

/** Horizontal pass of one source row into an int row (values up to 255 * 2048, exact). */
function hresize(src: Uint8Array, rowStart: number, t: ColumnTable, out: Int32Array): void {
  const { ofs0, ofs1, a0, a1 } = t;
  for (let e = 0; e < out.length; e++) {
    out[e] = src[rowStart + ofs0[e]!]! * a0[e]! + src[rowStart + ofs1[e]!]! * a1[e]!;
  }
}

/**
 * Vertical pass. OpenCV's uint8 VResizeLinear does not round (v + 2^21) >> 22: its SIMD code and its
 * scalar tail both drop 4 bits of each row, keep the high 16 bits of the Q11 product, add, then round
 * off 2 more bits. Neither term can push the result past 255, so no saturation is needed.
 */
function vresize(r0: Int32Array, r1: Int32Array, b0: number, b1: number, dst: Uint8Array, at: number): void {
  for (let x = 0; x < r0.length; x++) {
    dst[at + x] = ((((r0[x]! >> 4) * b0) >> 16) + (((r1[x]! >> 4) * b1) >> 16) + 2) >> 2;
  }
}

/**
 * Exact halving in both directions: cv::resize switches INTER_LINEAR to its INTER_AREA fast path.
 * For 1, 3 and 4 channels that is (sum + 2) >> 2 (the same bytes as the bilinear path); for 2 channels
 * it is saturate_cast<uchar>(sum * 0.25f), which rounds halves to even.
 */
function halveU8(
  src: Uint8Array,
  srcW: number,
  cn: number,
  dst: Uint8Array,
  dstH: number,
  dstW: number,
  dstOffset: number,
  dstRowStride: number,
  rowStart = 0,
  rowEnd = dstH,
): void {
  const srcStride = srcW * cn;
  const tiesToEven = cn === 2;
  for (let dy = rowStart; dy < rowEnd; dy++) {
    const top = 2 * dy * srcStride;
    const at = dstOffset + dy * dstRowStride;
    for (let dx = 0; dx < dstW; dx++) {
      for (let k = 0; k < cn; k++) {
        const s = top + 2 * dx * cn + k;
        const sum = src[s]! + src[s + cn]! + src[s + srcStride]! + src[s + srcStride + cn]!;
        const q = (sum + 2) >> 2;
        dst[at + dx * cn + k] = tiesToEven && (sum & 3) === 2 && (q & 1) === 1 ? q - 1 : q;
      }
    }
  }
}

/**
 * Resizes a uint8 HWC image with OpenCV INTER_LINEAR into `dst`: destination row `dy` starts at element
 * `dstOffset + dy * dstRowStride` (letterbox writes straight into the padded output). Only rows
 * [rowStart, rowEnd) are written, so a caller can produce the image in bands (the same bytes).
 */
export function resizeLinearU8(
  src: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  dst: Uint8Array,
  dstH: number,
  dstW: number,
  dstOffset = 0,
  dstRowStride = dstW * cn,
  rowStart = 0,
  rowEnd = dstH,
): void {
  if (dstH === 0 || dstW === 0 || rowEnd <= rowStart) return;
  if (srcW === 2 * dstW && srcH === 2 * dstH) {
    halveU8(src, srcW, cn, dst, dstH, dstW, dstOffset, dstRowStride, rowStart, rowEnd);
    return;
  }
  const cols = columnTable(srcW, dstW, cn);
  const rows = linearAxis(srcH, dstH, false);
  const width = dstW * cn;
  const srcStride = srcW * cn;
  // Two cached horizontal rows, tagged with their source row, as OpenCV's prev_sy: when moving down
  // one source row the lower row becomes the upper one and only one new row is computed.
  let r0 = new Int32Array(width);
  let r1 = new Int32Array(width);
  let tag0 = -1;
  let tag1 = -1;
  for (let dy = rowStart; dy < rowEnd; dy++) {
    const y0 = rows.i0[dy]!;
    const y1 = rows.i1[dy]!;
    if (tag0 !== y0) {
      if (tag1 === y0) {
        const row = r0;
        r0 = r1;
        r1 = row;
        tag1 = tag0;
        tag0 = y0;
      } else {
        hresize(src, y0 * srcStride, cols, r0);
        tag0 = y0;
      }
    }
    let lower = r0;
    if (y1 !== y0) {
      if (tag1 !== y1) {
        hresize(src, y1 * srcStride, cols, r1);
        tag1 = y1;
      }
      lower = r1;
    }
    vresize(r0, lower, rows.w0[dy]!, rows.w1[dy]!, dst, dstOffset + dy * dstRowStride);
  }
}
