import type { Tensor } from '../tensor/tensor.js';
import { defineOp, hwc, imageInput } from './schema.js';

export interface GrayscaleAttrs {
  /** Channel order of the input: 'rgb' for RGB/RGBA, 'bgr' for BGR/BGRA (OpenCV's default). */
  order: 'rgb' | 'bgr';
}

/** OpenCV cvtColor(..., COLOR_RGB2GRAY / BGR2GRAY / RGBA2GRAY / BGRA2GRAY), bit-exact for uint8. */
export const grayscaleOp = defineOp<GrayscaleAttrs>({
  name: 'grayscale',
  doc: 'Colour (3 or 4 channels) to one grey channel: 0.299 R + 0.587 G + 0.114 B in OpenCV fixed point',
  inputs: [imageInput([3, 4])],
  attrs: { order: { type: 'enum', oneOf: ['rgb', 'bgr'], default: 'rgb', doc: 'channel order of the input' } },
  outputs: ([image]) => {
    const [h, w] = hwc(image!);
    return [{ dtype: 'uint8', shape: [h, w, 1] }];
  },
});

export function grayscale(image: Tensor, attrs?: Partial<GrayscaleAttrs>): Tensor {
  return image.owner.run(grayscaleOp, [image], attrs)[0]!;
}
