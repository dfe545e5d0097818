import { centerCropOp } from '../../ops/center-crop.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const centerCropKernel = defineCpuKernel(centerCropOp, () => {
  throw new Error('centerCropOp: kernel not written yet');
});
