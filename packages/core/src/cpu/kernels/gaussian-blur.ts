import { gaussianBlurOp } from '../../ops/gaussian-blur.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const gaussianBlurKernel = defineCpuKernel(gaussianBlurOp, () => {
  throw new Error('gaussianBlurOp: kernel not written yet');
});
