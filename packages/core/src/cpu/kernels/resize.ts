import { resizeOp } from '../../ops/resize.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const resizeKernel = defineCpuKernel(resizeOp, () => {
  throw new Error('resizeOp: kernel not written yet');
});
