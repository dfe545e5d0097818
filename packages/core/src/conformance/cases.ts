import { type ConformanceCase, type Tolerance, testImage } from './case.js';

const EXACT: Tolerance = { atol: 0 };
// Kernels on other backends may round a fixed-point intermediate differently: one grey level.
const ONE_LEVEL: Tolerance = { atol: 1 };
const FLOAT: Tolerance = { atol: 1e-5, rtol: 1e-5 };
// float16 keeps 11 significant bits.
const HALF: Tolerance = { atol: 1e-3, rtol: 1e-3 };
// Canny's hysteresis is data dependent: a one-level gradient difference can flip a chain of pixels.
const EDGES: Tolerance = { atol: 0, mismatchFraction: 0.01 };

const img =
  (h: number, w: number, c: number, seed = 1) =>
  () => [testImage(h, w, c, seed)];

/** The cases every backend runs against the CPU reference. Sizes are odd on purpose. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  { op: 'grayscale', name: 'rgb', inputs: img(37, 53, 3), attrs: { order: 'rgb' }, tolerance: EXACT },
  { op: 'grayscale', name: 'bgra', inputs: img(31, 29, 4, 2), attrs: { order: 'bgr' }, tolerance: EXACT },
  { op: 'swapRB', name: 'rgb', inputs: img(17, 23, 3), attrs: {}, tolerance: EXACT },
  { op: 'swapRB', name: 'rgba', inputs: img(9, 11, 4), attrs: {}, tolerance: EXACT },
  {
    op: 'resize',
    name: 'bilinear down',
    inputs: img(97, 131, 3),
    attrs: { width: 50, height: 33 },
    tolerance: ONE_LEVEL,
  },
  { op: 'resize', name: 'bilinear up', inputs: img(21, 17, 1), attrs: { width: 64, height: 45 }, tolerance: ONE_LEVEL },
  {
    op: 'resize',
    name: 'antialias',
    inputs: img(97, 131, 3, 5),
    attrs: { width: 40, height: 57, interpolation: 'bilinear-antialias' },
    tolerance: ONE_LEVEL,
  },
  {
    op: 'resize',
    name: 'nearest',
    inputs: img(40, 60, 3),
    attrs: { width: 97, height: 23, interpolation: 'nearest' },
    tolerance: EXACT,
  },
  { op: 'gaussianBlur', name: '5x5 auto sigma', inputs: img(45, 61, 3), attrs: { ksize: 5 }, tolerance: ONE_LEVEL },
  {
    op: 'gaussianBlur',
    name: '7x7 sigma 2',
    inputs: img(33, 40, 1),
    attrs: { ksize: 7, sigma: 2 },
    tolerance: ONE_LEVEL,
  },
  { op: 'sobel', name: 'dx', inputs: img(29, 35, 1), attrs: { dx: 1, dy: 0 }, tolerance: FLOAT },
  {
    op: 'sobel',
    name: 'dy replicate',
    inputs: img(29, 35, 1),
    attrs: { dx: 0, dy: 1, border: 'replicate' },
    tolerance: FLOAT,
  },
  { op: 'canny', name: 'L1', inputs: img(64, 80, 1, 3), attrs: { low: 50, high: 150 }, tolerance: EDGES },
  { op: 'canny', name: 'L2', inputs: img(64, 80, 1, 4), attrs: { low: 30, high: 90, l2: true }, tolerance: EDGES },
  { op: 'centerCrop', name: 'inside', inputs: img(40, 51, 3), attrs: { width: 24, height: 17 }, tolerance: EXACT },
  {
    op: 'centerCrop',
    name: 'larger than image',
    inputs: img(10, 12, 3),
    attrs: { width: 15, height: 14 },
    tolerance: EXACT,
  },
  {
    op: 'letterbox',
    name: 'landscape 640',
    inputs: img(48, 80, 3),
    attrs: { width: 64, height: 64 },
    tolerance: ONE_LEVEL,
  },
  {
    op: 'letterbox',
    name: 'auto stride',
    inputs: img(50, 37, 3),
    attrs: { width: 64, height: 64, auto: true, stride: 8 },
    tolerance: ONE_LEVEL,
  },
  {
    op: 'normalize',
    name: 'imagenet',
    inputs: img(19, 23, 3),
    attrs: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    tolerance: FLOAT,
  },
  {
    op: 'normalize',
    name: 'float16 swapRB',
    inputs: img(8, 9, 3),
    attrs: { swapRB: true, dtype: 'float16' },
    tolerance: HALF,
  },
];
