import type { CpuKernel } from '../kernel.js';
import { cannyKernel } from './canny.js';
import { centerCropKernel } from './center-crop.js';
import { gaussianBlurKernel } from './gaussian-blur.js';
import { grayscaleKernel } from './grayscale.js';
import { letterboxKernel } from './letterbox.js';
import { normalizeKernel } from './normalize.js';
import { resizeKernel } from './resize.js';
import { sobelKernel } from './sobel.js';
import { swapRBKernel } from './swap-rb.js';

/** One kernel per op of the op set: the CPU reference implements all of them. */
export const CPU_KERNELS = [
  grayscaleKernel,
  swapRBKernel,
  resizeKernel,
  gaussianBlurKernel,
  sobelKernel,
  cannyKernel,
  centerCropKernel,
  letterboxKernel,
  normalizeKernel,
] as unknown as readonly CpuKernel[];
