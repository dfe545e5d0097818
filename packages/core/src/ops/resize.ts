import type { Tensor } from '../tensor/tensor.js';
import { defineOp, hwc } from './schema.js';

export interface ResizeAttrs {
  width: number;
  height: number;
  /** 'nearest' is OpenCV INTER_NEAREST (floor(x * src/dst)); 'bilinear' is INTER_LINEAR (pixel centres, no antialiasing). */
  interpolation: 'nearest' | 'bilinear';
}

export const resizeOp = defineOp<ResizeAttrs>({
  name: 'resize',
  doc: 'Resizes an HWC image with OpenCV semantics (INTER_NEAREST or INTER_LINEAR)',
  inputs: [{ name: 'image', dtypes: ['uint8'], rank: 3, channels: [1, 2, 3, 4], doc: 'HWC image' }],
  attrs: {
    width: { type: 'int', min: 1, max: 65536, doc: 'output width in pixels' },
    height: { type: 'int', min: 1, max: 65536, doc: 'output height in pixels' },
    interpolation: { type: 'enum', oneOf: ['nearest', 'bilinear'], default: 'bilinear', doc: 'sampling' },
  },
  outputs: ([image], a) => {
    const [, , c] = hwc(image!);
    return [{ dtype: 'uint8', shape: [a.height, a.width, c] }];
  },
});

export function resize(image: Tensor, attrs: Partial<ResizeAttrs> & Pick<ResizeAttrs, 'width' | 'height'>): Tensor {
  return image.owner.run(resizeOp, [image], attrs)[0]!;
}
