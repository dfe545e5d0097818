import { letterboxGeometry, letterboxOp } from '../../ops/letterbox.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';
import { resizeLinearU8 } from './resize-linear.js';

/**
 * Ultralytics LetterBox: fill with padValue, then resize (OpenCV INTER_LINEAR) straight into the
 * inner rectangle of the output. Like Ultralytics, the image is copied unresized when the geometry
 * keeps its size (cv2.resize is skipped there, not run as an identity).
 */
export const letterboxKernel = defineCpuKernel(letterboxOp, ([image], [out], attrs) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const [srcH, srcW, cn] = image!.shape as [number, number, number];
  const g = letterboxGeometry(srcH, srcW, attrs);
  const rowStride = g.width * cn;
  const inner = (g.padTop * g.width + g.padLeft) * cn;
  dst.fill(attrs.padValue);
  if (g.resizedWidth === srcW && g.resizedHeight === srcH) {
    const rowBytes = srcW * cn;
    for (let y = 0; y < srcH; y++) dst.set(src.subarray(y * rowBytes, (y + 1) * rowBytes), inner + y * rowStride);
  } else {
    resizeLinearU8(src, srcH, srcW, cn, dst, g.resizedHeight, g.resizedWidth, inner, rowStride);
  }
});
