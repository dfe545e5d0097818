import { swapRBOp } from '../../ops/swap-rb.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';

export const swapRBKernel = defineCpuKernel(swapRBOp, ([image], [out]) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const c = image!.shape[2]!;
  dst.set(src);
  for (let i = 0; i < src.length; i += c) {
    dst[i] = src[i + 2]!;
    dst[i + 2] = src[i]!;
  }
});
