import type { Tensor } from '../tensor/tensor.js';
import { defineOp, imageInput } from './schema.js';

export interface GaussianBlurAttrs {
  /** Kernel size (odd), the same in x and y. */
  ksize: number;
  /** Standard deviation; 0 derives it from ksize as OpenCV does: 0.3 * ((ksize - 1) / 2 - 1) + 0.8. */
  sigma: number;
}

/** OpenCV GaussianBlur(img, (k, k), sigma) with BORDER_REFLECT_101. */
export const gaussianBlurOp = defineOp<GaussianBlurAttrs>({
  name: 'gaussianBlur',
  doc: 'Separable Gaussian blur, border reflect-101 (OpenCV BORDER_DEFAULT)',
  inputs: [imageInput()],
  attrs: {
    ksize: { type: 'int', min: 1, max: 63, odd: true, default: 5, doc: 'odd kernel size' },
    sigma: { type: 'float', min: 0, max: 1000, default: 0, doc: 'standard deviation, 0 = from ksize' },
  },
  outputs: ([image]) => [{ dtype: 'uint8', shape: image!.shape }],
});

export function gaussianBlur(image: Tensor, attrs?: Partial<GaussianBlurAttrs>): Tensor {
  return image.owner.run(gaussianBlurOp, [image], attrs)[0]!;
}

// OpenCV 4.6's getGaussianKernel uses these fixed tables for ksize <= 9 when sigma <= 0.
const SMALL_TABLES: Record<number, readonly number[]> = {
  1: [1],
  3: [0.25, 0.5, 0.25],
  5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
  7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
  9: [4 / 256, 13 / 256, 30 / 256, 51 / 256, 60 / 256, 51 / 256, 30 / 256, 13 / 256, 4 / 256],
};

/** OpenCV's getGaussianKernel(ksize, sigma): fixed tables for ksize <= 9 with sigma <= 0; sums to 1. */
export function gaussianKernel(ksize: number, sigma: number): Float64Array {
  const table = sigma <= 0 ? SMALL_TABLES[ksize] : undefined;
  if (table) return Float64Array.from(table);
  const s = sigma > 0 ? sigma : 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8;
  const k = new Float64Array(ksize);
  const scale = -0.5 / (s * s);
  let sum = 0;
  for (let i = 0; i < ksize; i++) {
    const x = i - (ksize - 1) * 0.5;
    k[i] = Math.exp(scale * x * x);
    sum += k[i]!;
  }
  for (let i = 0; i < ksize; i++) k[i]! /= sum;
  return k;
}
