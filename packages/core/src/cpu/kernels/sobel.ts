import { sobelOp } from '../../ops/sobel.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const sobelKernel = defineCpuKernel(sobelOp, () => {
  throw new Error('sobelOp: kernel not written yet');
});
