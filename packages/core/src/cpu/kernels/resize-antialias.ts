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
const ONE = 1 << PRECISION_BITS;
// Shifts, not 2 ** n: small integers from the start keep the accumulators int32 in V8 (a double start costs 2x).
const HALF = 1 << (PRECISION_BITS - 1);

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

/** Output columns [x0, x0 + xw) of one axis' taps, and where they go. */
interface Span {
  readonly x0: number;
  readonly xw: number;
}

/**
 * ImagingResampleHorizontal_8bpc over `rows` source rows from `firstRow`, output columns [x0, x0 + xw),
 * into a [rows, xw, cn] buffer. Accumulators stay int32 (|sum| < 2^30: taps sum to 2^22, pixels < 2^8),
 * so Math.imul keeps V8 on integer arithmetic; RGB (nearly every call) has a loop of its own, as a
 * separate function so V8 compiles it for that shape alone.
 */
function horizontalPass(
  src: Uint8Array,
  srcW: number,
  cn: number,
  firstRow: number,
  rows: number,
  axis: AntialiasAxis,
  cols: Span,
  dst: Uint8Array,
): void {
  const from = src.subarray(firstRow * srcW * cn);
  if (cn === 3) horizontalRgb(from, srcW * 3, rows, axis, cols, dst);
  else horizontalAny(from, srcW * cn, cn, rows, axis, cols, dst);
}

function horizontalRgb(
  src: Uint8Array,
  srcStride: number,
  rows: number,
  axis: AntialiasAxis,
  cols: Span,
  dst: Uint8Array,
): void {
  const { ksize, start, count, weights } = axis;
  const end = cols.x0 + cols.xw;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowAt = y * srcStride;
    for (let xx = cols.x0; xx < end; xx++) {
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

function horizontalAny(
  src: Uint8Array,
  srcStride: number,
  cn: number,
  rows: number,
  axis: AntialiasAxis,
  cols: Span,
  dst: Uint8Array,
): void {
  const { ksize, start, count, weights } = axis;
  const end = cols.x0 + cols.xw;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const rowAt = y * srcStride;
    for (let xx = cols.x0; xx < end; xx++) {
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
 * ImagingResampleVertical_8bpc for output rows [y0, y0 + yh), each `width` values wide, read from rows
 * `srcStride` apart starting `srcOffset` into `src`; `rowOffset` is subtracted from the axis' start rows
 * (PIL shifts its bounds when the horizontal pass covered only the rows needed).
 */
function verticalPass(
  src: Uint8Array,
  srcStride: number,
  srcOffset: number,
  width: number,
  rowOffset: number,
  axis: AntialiasAxis,
  y0: number,
  yh: number,
  dst: Uint8Array,
): void {
  const { ksize, start, count, weights } = axis;
  for (let yy = y0, o = 0; yy < y0 + yh; yy++) {
    const kAt = yy * ksize;
    const n = count[yy]!;
    const from = srcOffset + (start[yy]! - rowOffset) * srcStride;
    for (let e = 0; e < width; e++, o++) {
      let ss = HALF;
      for (let y = 0, s = from + e; y < n; y++, s += srcStride) ss = (ss + Math.imul(src[s]!, weights[kAt + y]!)) | 0;
      dst[o] = clip8(ss);
    }
  }
}

/**
 * The kernel's horizontal-pass rows, kept between calls up to 16 MiB: first-touch page faults on a fresh buffer cost as
 * much as the pass.
 */
const kernelScratch = { bytes: new Uint8Array(0) };
const KEEP_SCRATCH_BYTES = 16 * 2 ** 20;

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
  resizeAntialiasRegionU8(
    src,
    srcH,
    srcW,
    cn,
    dstH,
    dstW,
    { top: 0, left: 0, height: dstH, width: dstW },
    dst,
    kernelScratch,
  );
  if (kernelScratch.bytes.length > KEEP_SCRATCH_BYTES) kernelScratch.bytes = new Uint8Array(0);
}

/** A rectangle of a resized image: its rows [top, top + height) and columns [left, left + width). */
export interface ResizeRegion {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/**
 * One rectangle of PIL's antialiased resize of a uint8 HWC image to dstH x dstW, into `dst`
 * ([region.height, region.width, cn]): the same bytes as resizing the whole image and cropping, with only
 * the region's pixels computed (torchvision's Resize + CenterCrop computes a quarter more than it keeps).
 * `scratch` may hold the horizontal pass' rows (it is grown when too small); a reused one spares the
 * page faults of a fresh buffer on every call.
 */
export function resizeAntialiasRegionU8(
  src: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  dstH: number,
  dstW: number,
  region: ResizeRegion,
  dst: Uint8Array,
  scratch?: { bytes: Uint8Array },
): void {
  const { top, left, height, width } = region;
  if (height <= 0 || width <= 0) return;
  if (top < 0 || left < 0 || top + height > dstH || left + width > dstW) {
    throw new RangeError(`resize region ${width}x${height} at (${left}, ${top}) is outside the ${dstW}x${dstH} result`);
  }
  const needHorizontal = dstW !== srcW;
  const needVertical = dstH !== srcH;
  const cols: Span = { x0: left, xw: width };
  if (!needHorizontal && !needVertical) {
    for (let y = 0; y < height; y++) {
      const at = ((top + y) * srcW + left) * cn;
      dst.set(src.subarray(at, at + width * cn), y * width * cn);
    }
    return;
  }
  if (!needHorizontal) {
    // PIL skips the horizontal pass: the vertical one reads the source's columns directly
    verticalPass(src, srcW * cn, left * cn, width * cn, 0, antialiasAxis(srcH, dstH), top, height, dst);
    return;
  }
  const colAxis = antialiasAxis(srcW, dstW);
  if (!needVertical) {
    horizontalPass(src, srcW, cn, top, height, colAxis, cols, dst);
    return;
  }
  const rowAxis = antialiasAxis(srcH, dstH);
  // Only the source rows the region's vertical taps touch go through the horizontal pass, as in PIL.
  const first = rowAxis.start[top]!;
  const last = rowAxis.start[top + height - 1]! + rowAxis.count[top + height - 1]!;
  const bytes = (last - first) * width * cn;
  let temp: Uint8Array;
  if (scratch) {
    if (scratch.bytes.length < bytes) scratch.bytes = new Uint8Array(bytes);
    temp = scratch.bytes;
  } else temp = new Uint8Array(bytes);
  horizontalPass(src, srcW, cn, first, last - first, colAxis, cols, temp);
  verticalPass(temp, width * cn, 0, width * cn, first, rowAxis, top, height, dst);
}
