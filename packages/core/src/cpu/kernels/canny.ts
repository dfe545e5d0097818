import { cannyOp } from '../../ops/canny.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const cannyKernel = defineCpuKernel(cannyOp, () => {
  throw new Error('cannyOp: kernel not written yet');
});
