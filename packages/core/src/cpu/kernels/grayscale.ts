import { grayscaleOp } from '../../ops/grayscale.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';

// OpenCV's RGB2Gray fixed point: coefficients of 0.299/0.587/0.114 in Q14, rounded by adding 1 << 13.
const R2Y = 4899;
const G2Y = 9617;
const B2Y = 1868;

export const grayscaleKernel = defineCpuKernel(grayscaleOp, ([image], [out], { order }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const c = image!.shape[2]!;
  const [cr, cb] = order === 'rgb' ? [R2Y, B2Y] : [B2Y, R2Y];
  for (let i = 0, j = 0; j < dst.length; i += c, j++) {
    dst[j] = (src[i]! * cr + src[i + 1]! * G2Y + src[i + 2]! * cb + 8192) >> 14;
  }
});
