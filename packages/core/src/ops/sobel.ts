import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, imageInput } from './schema.js';

export interface SobelAttrs {
  /** Order of the x derivative. */
  dx: number;
  /** Order of the y derivative. */
  dy: number;
  /** Aperture; 3 for now. */
  ksize: number;
  /** Border mode: 'reflect101' (OpenCV BORDER_DEFAULT) or 'replicate' (what OpenCV's Canny uses). */
  border: 'reflect101' | 'replicate';
}

/** OpenCV Sobel(img, CV_32F, dx, dy, ksize=3): exact integer results stored as float32. */
export const sobelOp = defineOp<SobelAttrs>({
  name: 'sobel',
  doc: 'Sobel derivative (3x3 aperture), float32 output',
  inputs: [imageInput()],
  attrs: {
    dx: { type: 'int', min: 0, max: 2, default: 1, doc: 'x derivative order' },
    dy: { type: 'int', min: 0, max: 2, default: 0, doc: 'y derivative order' },
    ksize: { type: 'int', oneOf: [3], default: 3, doc: 'aperture size' },
    border: { type: 'enum', oneOf: ['reflect101', 'replicate'], default: 'reflect101', doc: 'border mode' },
  },
  outputs: ([image], a) => {
    if (a.dx + a.dy < 1 || a.dx + a.dy > 2) {
      throw new ShapeError(`sobel: dx + dy must be 1 or 2 for a 3x3 aperture, got dx=${a.dx} dy=${a.dy}`);
    }
    return [{ dtype: 'float32', shape: image!.shape }];
  },
});

export function sobel(image: Tensor, attrs?: Partial<SobelAttrs>): Tensor {
  return image.owner.run(sobelOp, [image], attrs)[0]!;
}
