/**
 * The image ops as GPU work, for every GPU backend: which kernel runs with which parameter block over
 * how many invocations. Everything rounding-sensitive (resize coordinates and Q11 weights, Pillow's taps,
 * Gaussian taps, Canny thresholds, normalize values) is computed here on the host with the CPU
 * reference's own functions, and the kernels do integer work only, so a backend whose kernels follow
 * the parameter layouts below gives the CPU reference's bytes. The Vulkan (GLSL) and WebGPU (WGSL)
 * backends implement these kernels; a CUDA/HIP backend implements the same names and layouts.
 * Buffers are opaque to the plans (`B`: a Vulkan buffer id, a GPUBuffer...): uint8 data is read and
 * written as packed 32-bit words, so backends pad buffers to whole words.
 */
import type { TensorView } from '../backend/plugin.js';
import { UnsupportedOpError } from '../errors.js';
import { checkKernelCall } from '../ops/check-call.js';
import { type AntialiasAxis, antialiasAxis } from '../cpu/kernels/resize-antialias.js';
import { thresholds as cannyThresholds } from '../cpu/kernels/canny.js';
import { gaussianKernelQ8 } from '../cpu/kernels/gaussian-blur.js';
import { type LinearAxis, linearAxis as linearResizeAxis } from '../cpu/kernels/resize-linear.js';
import type { CannyAttrs } from '../ops/canny.js';
import { type CenterCropAttrs, centerCropOffset } from '../ops/center-crop.js';
import type { GaussianBlurAttrs } from '../ops/gaussian-blur.js';
import type { GrayscaleAttrs } from '../ops/grayscale.js';
import { type LetterboxAttrs, letterboxGeometry } from '../ops/letterbox.js';
import { type NormalizeAttrs, channelParams } from '../ops/normalize.js';
import type { ResizeAttrs } from '../ops/resize.js';
import type { SobelAttrs } from '../ops/sobel.js';
import { float32ToFloat16Bits } from '../tensor/float16.js';

/** The kernels the plans dispatch; each backend has one of each, with the parameter layout used here. */
export type GpuKernelName =
  | 'grayscale'
  | 'swap_rb'
  | 'resample'
  | 'resize_aa'
  | 'blur_h'
  | 'blur_v'
  | 'sobel'
  | 'canny_nms'
  | 'canny_hyst'
  | 'canny_finish'
  | 'canny_out'
  | 'normalize';

/** What a plan needs of a backend's context while it records one op. */
export interface GpuRecorder<B = unknown> {
  buffer(t: TensorView): B;
  /** Records one dispatch of a kernel over `invocations` invocations (workgroups of 64). */
  dispatch(kernel: GpuKernelName, params: Int32Array | Uint32Array, buffers: readonly B[], invocations: number): void;
  /** Copies the first `byteLength` bytes (rounded up to whole words: buffers are padded). */
  copy(src: B, dst: B, byteLength: number): void;
  /** Fills the first `byteLength` bytes (rounded up to whole words) with the 32-bit word `word`. */
  fill(buffer: B, byteLength: number, word: number): void;
  /** A scratch buffer for this op only: the backend takes it back once the op is recorded. */
  temp(byteLength: number): B;
}

/** Records one op: inputs and outputs are allocated and checked by the caller. */
export type GpuPlan = (
  r: GpuRecorder,
  inputs: readonly TensorView[],
  outputs: readonly TensorView[],
  attrs: never,
) => void;

export interface GpuPlanOptions {
  /** The word the backend's Canny kernels read as "not an edge" in the magnitude map (its frame included). */
  readonly cannyNotEdge: number;
}

const hwc = (t: TensorView) => t.shape as readonly [number, number, number];

// ---- grayscale, swapRB ---------------------------------------------------------------------------

const grayscale = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: GrayscaleAttrs) => {
  const [h, w, c] = hwc(image!);
  const [c0, c2] = a.order === 'rgb' ? [9798, 3735] : [3735, 9798];
  r.dispatch('grayscale', Uint32Array.of(h * w, c, c0, c2), [r.buffer(image!), r.buffer(out!)], Math.ceil((h * w) / 4));
};

const swapRB = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[]) => {
  const [h, w, c] = hwc(image!);
  r.dispatch('swap_rb', Uint32Array.of(h * w * c, c), [r.buffer(image!), r.buffer(out!)], Math.ceil((h * w * c) / 4));
};

// ---- resample: resize (nearest, bilinear), letterbox, centerCrop ---------------------------------

const HEADER = 16;
const MODE_COPY = 0;
const MODE_NEAREST = 1;
const MODE_BILINEAR = 2;
const MODE_HALVE = 3;

interface Resample {
  srcH: number;
  srcW: number;
  cn: number;
  outH: number;
  outW: number;
  top: number;
  left: number;
  innerH: number;
  innerW: number;
  pad: number;
  mode: number;
  offY?: number;
  offX?: number;
  tables?: readonly Int32Array[];
}

function resample(r: GpuRecorder, image: TensorView, out: TensorView, s: Resample): void {
  const tableWords = (s.tables ?? []).reduce((n, t) => n + t.length, 0);
  const p = new Int32Array(HEADER + tableWords);
  p.set([s.outH * s.outW * s.cn, s.outW, s.cn, s.srcH, s.srcW, s.top, s.left, s.innerH, s.innerW, s.pad, s.mode]);
  p.set([s.offY ?? 0, s.offX ?? 0, s.mode === MODE_HALVE && s.cn === 2 ? 1 : 0], 11);
  let at = HEADER;
  for (const t of s.tables ?? []) {
    p.set(t, at);
    at += t.length;
  }
  r.dispatch('resample', p, [r.buffer(image), r.buffer(out)], Math.ceil(p[0]! / 4));
}

/** Core's linear axis (index pairs, Q11 weight pairs) as the four tables the resample kernel reads. */
const axisArrays = (a: LinearAxis): Int32Array[] => [a.i0, a.i1, a.w0, a.w1];

/** The bilinear (or exact-halving) part of resize and letterbox, as core's resizeLinearU8 chooses. */
function linearTables(srcH: number, srcW: number, dstH: number, dstW: number): Pick<Resample, 'mode' | 'tables'> {
  if (srcW === 2 * dstW && srcH === 2 * dstH) return { mode: MODE_HALVE };
  return {
    mode: MODE_BILINEAR,
    tables: [...axisArrays(linearResizeAxis(srcW, dstW, true)), ...axisArrays(linearResizeAxis(srcH, dstH, false))],
  };
}

/** OpenCV INTER_NEAREST: min(floor(d * (1 / (dst / src))), src - 1), the scale computed in double. */
function nearestAxis(src: number, dst: number): Int32Array {
  const inv = 1 / (dst / src);
  const t = new Int32Array(dst);
  for (let d = 0; d < dst; d++) t[d] = Math.min(Math.floor(d * inv), src - 1);
  return t;
}

const resize = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: ResizeAttrs) => {
  const [srcH, srcW, cn] = hwc(image!);
  const { width: outW, height: outH } = a;
  const frame = { srcH, srcW, cn, outH, outW, top: 0, left: 0, innerH: outH, innerW: outW, pad: 0 };
  if (a.interpolation === 'nearest') {
    resample(r, image!, out!, {
      ...frame,
      mode: MODE_NEAREST,
      tables: [nearestAxis(srcW, outW), nearestAxis(srcH, outH)],
    });
  } else if (a.interpolation === 'bilinear') {
    resample(r, image!, out!, { ...frame, ...linearTables(srcH, srcW, outH, outW) });
  } else {
    resizeAntialias(r, image!, out!, srcH, srcW, cn, outH, outW);
  }
};

const letterbox = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: LetterboxAttrs) => {
  const [srcH, srcW, cn] = hwc(image!);
  const g = letterboxGeometry(srcH, srcW, a);
  const frame = {
    srcH,
    srcW,
    cn,
    outH: g.height,
    outW: g.width,
    top: g.padTop,
    left: g.padLeft,
    innerH: g.resizedHeight,
    innerW: g.resizedWidth,
    pad: a.padValue,
  };
  // Like Ultralytics (and the CPU reference), an unchanged size is copied, not resized.
  if (g.resizedWidth === srcW && g.resizedHeight === srcH) resample(r, image!, out!, { ...frame, mode: MODE_COPY });
  else resample(r, image!, out!, { ...frame, ...linearTables(srcH, srcW, g.resizedHeight, g.resizedWidth) });
};

const centerCrop = (
  r: GpuRecorder,
  [image]: readonly TensorView[],
  [out]: readonly TensorView[],
  a: CenterCropAttrs,
) => {
  const [srcH, srcW, cn] = hwc(image!);
  const { top, left } = centerCropOffset(srcH, srcW, a.height, a.width);
  resample(r, image!, out!, {
    srcH,
    srcW,
    cn,
    outH: a.height,
    outW: a.width,
    top: 0,
    left: 0,
    innerH: a.height,
    innerW: a.width,
    pad: a.padValue,
    mode: MODE_COPY,
    offY: top,
    offX: left,
  });
};

// ---- bilinear-antialias (PIL) ---------------------------------------------------------------------

function aaPass(
  r: GpuRecorder,
  src: unknown,
  dst: unknown,
  dir: 0 | 1,
  rows: number,
  outW: number,
  cn: number,
  stride: number,
  rowParam: number,
  axis: AntialiasAxis,
): void {
  const n = axis.start.length;
  const p = new Int32Array(8 + 2 * n + axis.weights.length);
  p.set([rows * outW * cn, outW, cn, dir, stride, rowParam, axis.ksize, n]);
  p.set(axis.start, 8);
  p.set(axis.count, 8 + n);
  p.set(axis.weights, 8 + 2 * n);
  r.dispatch('resize_aa', p, [src, dst], Math.ceil(p[0]! / 4));
}

/** Pillow's ImagingResample: horizontal pass over the rows the vertical taps need, then vertical. */
function resizeAntialias(
  r: GpuRecorder,
  image: TensorView,
  out: TensorView,
  srcH: number,
  srcW: number,
  cn: number,
  dstH: number,
  dstW: number,
) {
  const src = r.buffer(image);
  const dst = r.buffer(out);
  const needH = dstW !== srcW;
  const needV = dstH !== srcH;
  if (!needH && !needV) {
    r.copy(src, dst, srcH * srcW * cn);
    return;
  }
  if (!needH) {
    aaPass(r, src, dst, 1, dstH, srcW, cn, srcW * cn, 0, antialiasAxis(srcH, dstH));
    return;
  }
  const cols = antialiasAxis(srcW, dstW);
  if (!needV) {
    aaPass(r, src, dst, 0, srcH, dstW, cn, srcW * cn, 0, cols);
    return;
  }
  const rows = antialiasAxis(srcH, dstH);
  const first = rows.start[0]!;
  const last = rows.start[dstH - 1]! + rows.count[dstH - 1]!;
  const temp = r.temp((last - first) * dstW * cn);
  aaPass(r, src, temp, 0, last - first, dstW, cn, srcW * cn, first, cols);
  aaPass(r, temp, dst, 1, dstH, dstW, cn, dstW * cn, first, rows);
}

// ---- gaussianBlur ---------------------------------------------------------------------------------

const gaussianBlur = (
  r: GpuRecorder,
  [image]: readonly TensorView[],
  [out]: readonly TensorView[],
  a: GaussianBlurAttrs,
) => {
  const [h, w, c] = hwc(image!);
  const n = h * w * c;
  if (a.ksize === 1) {
    r.copy(r.buffer(image!), r.buffer(out!), n); // OpenCV copies for ksize 1
    return;
  }
  const k = gaussianKernelQ8(a.ksize, a.sigma);
  const p = new Int32Array(8 + k.length);
  p.set([n, w, c, a.ksize, h]);
  p.set(k, 8);
  const tmp = r.temp(n * 4);
  r.dispatch('blur_h', p, [r.buffer(image!), tmp], n);
  r.dispatch('blur_v', p, [tmp, r.buffer(out!)], Math.ceil(n / 4));
};

// ---- sobel, canny ---------------------------------------------------------------------------------

const TAPS = [
  [1, 2, 1],
  [-1, 0, 1],
  [1, -2, 1],
] as const;

const sobel = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: SobelAttrs) => {
  const [h, w, c] = hwc(image!);
  const p = Int32Array.of(h * w * c, h, w, c, ...TAPS[a.dy]!, ...TAPS[a.dx]!, a.border === 'replicate' ? 1 : 0);
  r.dispatch('sobel', p, [r.buffer(image!), r.buffer(out!)], h * w * c);
};

const canny =
  (notEdge: number) =>
  (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: CannyAttrs) => {
    const [h, w] = hwc(image!);
    // core's thresholds, clamped into int32 parameters (magnitudes never come near 2^31)
    const [lo, hi] = cannyThresholds(a.low, a.high, a.l2).map((v) => Math.min(2 ** 31 - 1, v)) as [number, number];
    const mapBytes = (h + 2) * (w + 2) * 4;
    const map = r.temp(mapBytes);
    const spill = r.temp((h * w + 1) * 4);
    r.fill(map, mapBytes, notEdge); // not an edge everywhere, including the frame
    r.fill(spill, 4, 0); // the spill count
    const p = Int32Array.of(h, w, lo, hi, a.l2 ? 1 : 0);
    r.dispatch('canny_nms', p, [r.buffer(image!), map], h * w);
    r.dispatch('canny_hyst', p, [map, spill], h * w);
    r.dispatch('canny_finish', p, [map, spill], 1);
    r.dispatch('canny_out', p, [map, r.buffer(out!)], Math.ceil((h * w) / 4));
  };

// ---- normalize ------------------------------------------------------------------------------------

const normalize = (r: GpuRecorder, [image]: readonly TensorView[], [out]: readonly TensorView[], a: NormalizeAttrs) => {
  const [h, w, cn] = hwc(image!);
  const { mean, invStd } = channelParams(a, cn);
  const half = a.dtype === 'float16';
  const p = new Uint32Array(8 + cn * 256);
  const asFloat = new Float32Array(p.buffer);
  p.set([h * w, cn, half ? 1 : 0]);
  for (let c = 0; c < cn; c++) {
    p[4 + c] = a.swapRB ? cn - 1 - c : c;
    for (let v = 0; v < 256; v++) {
      const x = (v * a.scale - mean[c]!) * invStd[c]!; // in double, as the CPU reference
      if (half) p[8 + c * 256 + v] = float32ToFloat16Bits(x);
      else asFloat[8 + c * 256 + v] = x;
    }
  }
  const total = h * w * cn;
  r.dispatch('normalize', p, [r.buffer(image!), r.buffer(out!)], half ? Math.ceil(total / 2) : total);
};

/** One plan per op of core's image op set. */
export function gpuPlans(options: GpuPlanOptions): ReadonlyMap<string, GpuPlan> {
  return new Map<string, GpuPlan>([
    ['grayscale', grayscale as GpuPlan],
    ['swapRB', swapRB as GpuPlan],
    ['resize', resize as GpuPlan],
    ['gaussianBlur', gaussianBlur as GpuPlan],
    ['sobel', sobel as GpuPlan],
    ['canny', canny(options.cannyNotEdge) as GpuPlan],
    ['centerCrop', centerCrop as GpuPlan],
    ['letterbox', letterbox as GpuPlan],
    ['normalize', normalize as GpuPlan],
  ]);
}

/** The invocations of a dispatch as workgroups of 64 on a 2D grid [x, y], x within the per-dimension limit. */
export function gpuGrid(invocations: number, maxGroupsPerDimension: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / 64));
  const x = Math.min(groups, maxGroupsPerDimension);
  return [x, Math.ceil(groups / x)];
}

/**
 * A GPU backend's `run()`: finds the op's plan (UnsupportedOpError naming the backend), checks that
 * every buffer is the recorder's own and the call fits the op (core's Device checks the same before it
 * calls; a direct caller gets the same named errors), records the plan, then `done()` (scratch buffers
 * back, whether the plan threw or not).
 */
export function recordGpuOp(
  plans: ReadonlyMap<string, GpuPlan>,
  backend: string,
  r: GpuRecorder,
  op: string,
  inputs: readonly TensorView[],
  outputs: readonly TensorView[],
  attrs: Readonly<Record<string, unknown>>,
  done: () => void,
): void {
  const plan = plans.get(op);
  if (!plan) throw new UnsupportedOpError(`the ${backend} backend has no kernel for '${op}'`);
  for (const t of [...inputs, ...outputs]) r.buffer(t);
  checkKernelCall(op, inputs, outputs, attrs);
  try {
    plan(r, inputs, outputs, attrs as never);
  } finally {
    done();
  }
}
