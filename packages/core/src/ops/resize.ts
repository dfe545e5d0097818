import type { Tensor } from '../tensor/tensor.js';
import { defineOp, hwc, imageInput, pixelSizeAttr } from './schema.js';

export interface ResizeAttrs {
  width: number;
  height: number;
  /**
   * 'nearest' is OpenCV INTER_NEAREST (floor(x * src/dst)); 'bilinear' is INTER_LINEAR (pixel centres, no
   * antialiasing); 'bilinear-antialias' is PIL's `Image.resize(size, Image.BILINEAR)` (the triangle filter
   * widened by the downscale factor, so every source pixel counts; plain bilinear when enlarging), i.e.
   * torchvision's `Resize` on PIL images. Its channels are resampled independently (PIL premultiplies
   * alpha for RGBA; this op does not).
   */
  interpolation: 'nearest' | 'bilinear' | 'bilinear-antialias';
}

export const resizeOp = defineOp<ResizeAttrs>({
  name: 'resize',
  doc: 'Resizes an HWC image: OpenCV INTER_NEAREST or INTER_LINEAR, or PIL antialiased BILINEAR (torchvision Resize)',
  inputs: [imageInput()],
  attrs: {
    width: pixelSizeAttr('output width in pixels'),
    height: pixelSizeAttr('output height in pixels'),
    interpolation: {
      type: 'enum',
      oneOf: ['nearest', 'bilinear', 'bilinear-antialias'],
      default: 'bilinear',
      doc: 'sampling',
    },
  },
  outputs: ([image], a) => {
    const [, , c] = hwc(image!);
    return [{ dtype: 'uint8', shape: [a.height, a.width, c] }];
  },
});

export function resize(image: Tensor, attrs: Partial<ResizeAttrs> & Pick<ResizeAttrs, 'width' | 'height'>): Tensor {
  return image.owner.run(resizeOp, [image], attrs)[0]!;
}
