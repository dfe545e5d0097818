import { centerCropOffset, centerCropOp } from '../../ops/center-crop.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';

/**
 * torchvision center_crop: copies the overlap of the crop window with the image, row by row, and
 * fills the rest (only present when the crop is larger than the image) with padValue.
 */
export const centerCropKernel = defineCpuKernel(centerCropOp, ([image], [out], { width, height, padValue }) => {
  const src = hostData(image!, 'uint8');
  const dst = hostData(out!, 'uint8');
  const [srcH, srcW, cn] = image!.shape as [number, number, number];
  const { top, left } = centerCropOffset(srcH, srcW, height, width);
  // The window [top, top + height) x [left, left + width) in source coordinates, clipped to the image.
  const y0 = Math.max(0, -top);
  const y1 = Math.min(height, srcH - top);
  const x0 = Math.max(0, -left);
  const x1 = Math.min(width, srcW - left);
  const covered = y0 === 0 && y1 === height && x0 === 0 && x1 === width;
  if (!covered) dst.fill(padValue);
  const rowBytes = (x1 - x0) * cn;
  for (let y = y0; y < y1; y++) {
    const from = ((y + top) * srcW + x0 + left) * cn;
    dst.set(src.subarray(from, from + rowBytes), (y * width + x0) * cn);
  }
});
