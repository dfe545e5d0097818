/** The built-in WGSL kernels by name (each has entry point `main`; binding 0 is its parameter block). */
import type { GpuKernelName } from '@ocellus/core';
import { CANNY_FINISH, CANNY_HYST, CANNY_NMS, CANNY_OUT } from './canny.js';
import { GRAYSCALE, SWAP_RB } from './color.js';
import { BLUR_H, BLUR_V, NORMALIZE, SOBEL } from './filter.js';
import { RESAMPLE, RESIZE_AA } from './resample.js';

export const SHADERS = {
  grayscale: GRAYSCALE,
  swap_rb: SWAP_RB,
  resample: RESAMPLE,
  resize_aa: RESIZE_AA,
  blur_h: BLUR_H,
  blur_v: BLUR_V,
  sobel: SOBEL,
  canny_nms: CANNY_NMS,
  canny_hyst: CANNY_HYST,
  canny_finish: CANNY_FINISH,
  canny_out: CANNY_OUT,
  normalize: NORMALIZE,
} as const satisfies Record<GpuKernelName, string>;

export type ShaderName = keyof typeof SHADERS;
