import { normalizeOp } from '../../ops/normalize.js';
import { defineCpuKernel } from '../kernel.js';

// PLACEHOLDER: replaced by the real kernel before this lands.
export const normalizeKernel = defineCpuKernel(normalizeOp, () => {
  throw new Error('normalizeOp: kernel not written yet');
});
