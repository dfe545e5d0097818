import type { Tensor } from '../tensor/tensor.js';
import { defineOp, imageInput } from './schema.js';

// biome-ignore lint/complexity/noBannedTypes: the op has no attributes
export type SwapRBAttrs = {};

/** OpenCV COLOR_RGB2BGR / BGR2RGB (and RGBA<->BGRA): swaps channels 0 and 2, keeps alpha. */
export const swapRBOp = defineOp<SwapRBAttrs>({
  name: 'swapRB',
  doc: 'RGB <-> BGR (and RGBA <-> BGRA): swaps the first and third channels',
  inputs: [imageInput([3, 4])],
  attrs: {},
  outputs: ([image]) => [{ dtype: 'uint8', shape: image!.shape }],
});

export function swapRB(image: Tensor): Tensor {
  return image.owner.run(swapRBOp, [image], {})[0]!;
}
