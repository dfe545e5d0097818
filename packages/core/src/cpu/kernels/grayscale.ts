import { grayscaleOp } from '../../ops/grayscale.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';

// OpenCV 4's RGB2Gray<uchar> fixed point: 0.299/0.587/0.114 in Q15, rounded by adding 1 << 14.
const R2Y = 9798;
const G2Y = 19235;
const B2Y = 3735;

export const grayscaleKernel = defineCpuKernel(grayscaleOp, ([image], [out], { order }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const c = image!.shape[2]!;
  const [cr, cb] = order === 'rgb' ? [R2Y, B2Y] : [B2Y, R2Y];
  for (let i = 0, j = 0; j < dst.length; i += c, j++) {
    dst[j] = (src[i]! * cr + src[i + 1]! * G2Y + src[i + 2]! * cb + 16384) >> 15;
  }
});
