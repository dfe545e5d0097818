import type { Tensor } from '../tensor/tensor.js';
import { defineOp } from './schema.js';

// biome-ignore lint/complexity/noBannedTypes: the op has no attributes
export type SwapRBAttrs = {};

/** OpenCV COLOR_RGB2BGR / BGR2RGB (and RGBA<->BGRA): swaps channels 0 and 2, keeps alpha. */
export const swapRBOp = defineOp<SwapRBAttrs>({
  name: 'swapRB',
  doc: 'RGB <-> BGR (and RGBA <-> BGRA): swaps the first and third channels',
  inputs: [{ name: 'image', dtypes: ['uint8'], rank: 3, channels: [3, 4], doc: 'HWC image' }],
  attrs: {},
  outputs: ([image]) => [{ dtype: 'uint8', shape: image!.shape }],
});

export function swapRB(image: Tensor): Tensor {
  return image.owner.run(swapRBOp, [image], {})[0]!;
}
