import type { Tensor } from '../tensor/tensor.js';
import { defineOp } from './schema.js';

export interface CannyAttrs {
  /** Hysteresis low threshold (on the gradient magnitude). */
  low: number;
  /** Hysteresis high threshold. */
  high: number;
  /** Use the L2 norm sqrt(dx^2 + dy^2) instead of |dx| + |dy|. */
  l2: boolean;
  /** Sobel aperture; 3 for now. */
  aperture: number;
}

/**
 * OpenCV Canny(gray, low, high, apertureSize=3, L2gradient): Sobel with BORDER_REPLICATE, non-maximum
 * suppression in OpenCV's fixed point (tan 22.5 deg in Q15), 8-connected hysteresis. Output 0 or 255.
 */
export const cannyOp = defineOp<CannyAttrs>({
  name: 'canny',
  doc: 'Canny edge map of a grey image (0 or 255)',
  inputs: [{ name: 'image', dtypes: ['uint8'], rank: 3, channels: [1], doc: 'HW1 grey image (use grayscale first)' }],
  attrs: {
    low: { type: 'float', min: 0, default: 50, doc: 'low threshold' },
    high: { type: 'float', min: 0, default: 150, doc: 'high threshold' },
    l2: { type: 'bool', default: false, doc: 'L2 gradient norm' },
    aperture: { type: 'int', oneOf: [3], default: 3, doc: 'Sobel aperture size' },
  },
  outputs: ([image]) => [{ dtype: 'uint8', shape: image!.shape }],
});

export function canny(image: Tensor, attrs?: Partial<CannyAttrs>): Tensor {
  return image.owner.run(cannyOp, [image], attrs)[0]!;
}
