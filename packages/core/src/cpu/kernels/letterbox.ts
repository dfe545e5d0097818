import { letterboxOp } from '../../ops/letterbox.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const letterboxKernel = defineCpuKernel(letterboxOp, () => {
  throw new Error('letterboxOp: kernel not written yet');
});
