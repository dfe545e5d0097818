/**
 * PIL's antialiased bilinear resize for uint8 images: `Image.resize(size, Image.BILINEAR)`, which is
 * what torchvision's `Resize` does to PIL images (the eval transform of the ImageNet weights).
 *
 * Mirrors Pillow 9.4 ImagingResample (libImaging/Resample.c) step for step so the output is the same
 * bytes: per axis, `precompute_coeffs` with the triangle filter whose support (1) is scaled by the
 * downscale factor (never below 1, so upscaling is plain bilinear on pixel centres), taps rounded in
 * double to PIL's fixed point (PRECISION_BITS = 32 - 8 - 2 = 22) by `normalize_coeffs_8bpc`; then a
 * horizontal pass over the source rows the vertical pass needs, clipped to uint8, then the vertical
 * pass, clipped again. An axis whose size does not change is not resampled (PIL skips that pass).
 *
 * Channels are resampled independently, as PIL does for its L and RGB modes. (PIL premultiplies
 * alpha for RGBA and LA images; this kernel does not: a 4-channel image is four independent bands.)
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** Taps of one axis: for destination index d, `count[d]` source samples from `start[d]`, weights at `d * ksize`. */
export interface AntialiasAxis {
  readonly ksize: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Int32Array;
}

/** Resample.c bilinear_filter: the triangle. */
function triangle(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? 1 - x : 0;
}

/**
 * Resample.c precompute_coeffs (box = the whole axis, filter = BILINEAR with support 1) followed by
 * normalize_coeffs_8bpc. Every step is the same double-precision arithmetic as the C code.
 */
export function antialiasAxis(inSize: number, outSize: number): AntialiasAxis {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 1 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = 0 + (xx + 0.5) * scale;
    // C's (int) truncates toward zero: "round the value" as PIL does.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = triangle((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      if (ww !== 0) k[x] = k[x]! / ww;
      const v = k[x]!;
      weights[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, start, count, weights };
}

/** Resample.c clip8: the accumulator back to uint8 (arithmetic shift, clamped to 0..255). */
function clip8(v: number): number {
  const q = v >> PRECISION_BITS;
  return Math.min(Math.max(q, 0), 255);
}

/** ImagingResampleHorizontal_8bpc over `rows` source rows from `firstRow`, into a [rows, dstW, cn] buffer. */
function horizontalPass(
  src: Uint8Array,
  srcW: number,
  cn: number,
  firstRow: number,
  rows: number,
  axis: AntialiasAxis,
  dst: Uint8Array,
  dstW: number,
): void {
  const { ksize, start, count, weights } = axis;
  const srcStride = srcW * cn;
  const dstStride = dstW * cn;
  for (let y = 0; y < rows; y++) {
    const rowAt = (firstRow + y) * srcStride;
    const outAt = y * dstStride;
    for (let xx = 0; xx < dstW; xx++) {
      const kAt = xx * ksize;
      const n = count[xx]!;
      const from = rowAt + start[xx]! * cn;
      for (let c = 0; c < cn; c++) {
        let ss = HALF;
        for (let x = 0, s = from + c; x < n; x++, s += cn) ss += src[s]! * weights[kAt + x]!;
        dst[outAt + xx * cn + c] = clip8(ss);
      }
    }
  }
}

/** ImagingResampleVertical_8bpc; `rowOffset` is subtracted from the axis' start rows (PIL shifts its bounds). */
function verticalPass(src: Uint8Array, width: number, rowOffset: number, axis: AntialiasAxis, dst: Uint8Array, dstH: number): void {
  const { ksize, start, count, weights } = axis;
  for (let yy = 0; yy < dstH; yy++) {
    const kAt = yy * ksize;
    const n = count[yy]!;
    const from = (start[yy]! - rowOffset) * width;
    const outAt = yy * width;
    for (let e = 0; e < width; e++) {
      let ss = HALF;
      for (let y = 0, s = from + e; y < n; y++, s += width) ss += src[s]! * weights[kAt + y]!;
      dst[outAt + e] = clip8(ss);
    }
  }
}

/** Resizes a uint8 HWC image with PIL's antialiased bilinear filter into `dst` ([dstH, dstW, cn]). */
export function resizeAntialiasU8(
  src: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  dst: Uint8Array,
  dstH: number,
  dstW: number,
): void {
  if (dstH === 0 || dstW === 0) return;
  const needHorizontal = dstW !== srcW;
  const needVertical = dstH !== srcH;
  if (!needHorizontal && !needVertical) {
    dst.set(src.subarray(0, srcH * srcW * cn));
    return;
  }
  if (!needHorizontal) {
    verticalPass(src, srcW * cn, 0, antialiasAxis(srcH, dstH), dst, dstH);
    return;
  }
  const cols = antialiasAxis(srcW, dstW);
  if (!needVertical) {
    horizontalPass(src, srcW, cn, 0, srcH, cols, dst, dstW);
    return;
  }
  const rows = antialiasAxis(srcH, dstH);
  // Only the source rows the vertical taps touch go through the horizontal pass, as in PIL.
  const first = rows.start[0]!;
  const last = rows.start[dstH - 1]! + rows.count[dstH - 1]!;
  const temp = new Uint8Array((last - first) * dstW * cn);
  horizontalPass(src, srcW, cn, first, last - first, cols, temp, dstW);
  verticalPass(temp, dstW * cn, first, rows, dst, dstH);
}
