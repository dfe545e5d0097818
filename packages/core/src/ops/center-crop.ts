import type { Tensor } from '../tensor/tensor.js';
import { roundHalfEven } from './round.js';
import { defineOp, hwc, imageInput, pixelSizeAttr } from './schema.js';

export interface CenterCropAttrs {
  width: number;
  height: number;
  /** Value of pixels outside the source when the crop is larger than the image (torchvision pads with 0). */
  padValue: number;
}

/** torchvision's center_crop: top = round((H - h) / 2), left = round((W - w) / 2), Python rounding. */
export const centerCropOp = defineOp<CenterCropAttrs>({
  name: 'centerCrop',
  doc: 'Crops the centre of an HWC image (padding when the crop is larger)',
  inputs: [imageInput()],
  attrs: {
    width: pixelSizeAttr('crop width'),
    height: pixelSizeAttr('crop height'),
    padValue: { type: 'int', min: 0, max: 255, default: 0, doc: 'value outside the source' },
  },
  outputs: ([image], a) => [{ dtype: 'uint8', shape: [a.height, a.width, hwc(image!)[2]] }],
});

/** Where the crop starts in the source (negative when the crop is larger than the image). */
export function centerCropOffset(srcH: number, srcW: number, h: number, w: number): { top: number; left: number } {
  return { top: offset(srcH, h), left: offset(srcW, w) };
}

// torchvision pads a too-small side by floor(diff / 2) before (and the rest after), then crops.
function offset(src: number, crop: number): number {
  const d = src - crop;
  return d >= 0 ? roundHalfEven(d / 2) : -Math.floor(-d / 2);
}

export function centerCrop(
  image: Tensor,
  attrs: Partial<CenterCropAttrs> & Pick<CenterCropAttrs, 'width' | 'height'>,
): Tensor {
  return image.owner.run(centerCropOp, [image], attrs)[0]!;
}
