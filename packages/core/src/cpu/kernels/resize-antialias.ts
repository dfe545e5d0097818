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

/**
 * ImagingResampleHorizontal_8bpc over `rows` source rows from `firstRow`, into a [rows, dstW, cn] buffer.
 * Accumulators stay int32 (|sum| < 2^30: taps sum to 2^22, pixels < 2^8), so Math.imul keeps V8 on
 * integer arithmetic; RGB (nearly every call) has a loop of its own, as a separate function so V8
 * compiles it for that shape alone.
 */
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
  if (cn === 3) horizontalRgb(src.subarray(firstRow * srcW * 3), srcW * 3, rows, axis, dst, dstW);
  else horizontalAny(src.subarray(firstRow * srcW * cn), srcW * cn, cn, rows, axis, dst, dstW);
}

function horizontalRgb(src: Uint8Array, srcStride: number, rows: number, axis: AntialiasAxis, dst: Uint8Array, dstW: number): void {
  const { ksize, start, count, weights } = axis;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowAt = y * srcStride;
    for (let xx = 0; xx < dstW; xx++) {
      const kAt = xx * ksize;
      const n = count[xx]!;
      let s = rowAt + start[xx]! * 3;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let x = 0; x < n; x++, s += 3) {
        const w = weights[kAt + x]!;
        s0 = (s0 + Math.imul(src[s]!, w)) | 0;
        s1 = (s1 + Math.imul(src[s + 1]!, w)) | 0;
        s2 = (s2 + Math.imul(src[s + 2]!, w)) | 0;
      }
      dst[o++] = clip8(s0);
      dst[o++] = clip8(s1);
      dst[o++] = clip8(s2);
    }
  }
}

function horizontalAny(src: Uint8Array, srcStride: number, cn: number, rows: number, axis: AntialiasAxis, dst: Uint8Array, dstW: number): void {
  const { ksize, start, count, weights } = axis;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowAt = y * srcStride;
    for (let xx = 0; xx < dstW; xx++) {
      const kAt = xx * ksize;
      const n = count[xx]!;
      const from = rowAt + start[xx]! * cn;
      for (let c = 0; c < cn; c++) {
        let sc = HALF;
        for (let x = 0, t = from + c; x < n; x++, t += cn) sc = (sc + Math.imul(src[t]!, weights[kAt + x]!)) | 0;
        dst[o++] = clip8(sc);
      }
    }
  }
}

/**
 * ImagingResampleVertical_8bpc; `rowOffset` is subtracted from the axis' start rows (PIL shifts its bounds).
 * Tap-major: each tap adds a whole source row into an int32 row of accumulators, so memory is read
 * sequentially (the per-pixel column walk of the C code strides a row apart on every tap).
 */
function verticalPass(src: Uint8Array, width: number, rowOffset: number, axis: AntialiasAxis, dst: Uint8Array, dstH: number): void {
  const { ksize, start, count, weights } = axis;
  const acc = new Int32Array(width);
  for (let yy = 0; yy < dstH; yy++) {
    const kAt = yy * ksize;
    const n = count[yy]!;
    const from = (start[yy]! - rowOffset) * width;
    acc.fill(HALF);
    for (let y = 0; y < n; y++) {
      const w = weights[kAt + y]!;
      const s = from + y * width;
      for (let e = 0; e < width; e++) acc[e] = (acc[e]! + Math.imul(src[s + e]!, w)) | 0;
    }
    const outAt = yy * width;
    for (let e = 0; e < width; e++) dst[outAt + e] = clip8(acc[e]!);
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

