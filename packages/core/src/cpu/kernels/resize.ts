import { resizeOp } from '../../ops/resize.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';
import { resizeAntialiasU8 } from './resize-antialias.js';
import { resizeLinearU8 } from './resize-linear.js';

export const resizeKernel = defineCpuKernel(resizeOp, ([image], [out], { width, height, interpolation }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const [srcH, srcW, cn] = image!.shape as [number, number, number];
  if (interpolation === 'bilinear') resizeLinearU8(src, srcH, srcW, cn, dst, height, width);
  else if (interpolation === 'bilinear-antialias') resizeAntialiasU8(src, srcH, srcW, cn, dst, height, width);
  else resizeNearestU8(src, srcH, srcW, cn, dst, height, width);
});

/**
 * OpenCV INTER_NEAREST (resizeNN): sx = min(floor(x * ifx), srcW - 1) with ifx = 1 / (dstW / srcW)
 * computed in double, as OpenCV does, so the picked pixels are the same even where src / dst and
 * 1 / (dst / src) differ in the last bit.
 */
function resizeNearestU8(
  src: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  dst: Uint8Array,
  dstH: number,
  dstW: number,
): void {
  const ifx = 1 / (dstW / srcW);
  const ify = 1 / (dstH / srcH);
  const width = dstW * cn;
  const ofs = new Int32Array(width);
  for (let x = 0, e = 0; x < dstW; x++) {
    const sx = Math.min(Math.floor(x * ifx), srcW - 1);
    for (let k = 0; k < cn; k++, e++) ofs[e] = sx * cn + k;
  }
  for (let y = 0; y < dstH; y++) {
    const rowStart = Math.min(Math.floor(y * ify), srcH - 1) * srcW * cn;
    const at = y * width;
    for (let e = 0; e < width; e++) dst[at + e] = src[rowStart + ofs[e]!]!;
  }
}
