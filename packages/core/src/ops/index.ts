import { cannyOp } from './canny.js';
import { centerCropOp } from './center-crop.js';
import { gaussianBlurOp } from './gaussian-blur.js';
import { grayscaleOp } from './grayscale.js';
import { letterboxOp } from './letterbox.js';
import { normalizeOp } from './normalize.js';
import { registerOp } from './registry.js';
import { resizeOp } from './resize.js';
import { sobelOp } from './sobel.js';
import { swapRBOp } from './swap-rb.js';

/** Core's image op set. Neural-network ops will join it the same way. */
export const IMAGE_OPS = [
  grayscaleOp,
  swapRBOp,
  resizeOp,
  gaussianBlurOp,
  sobelOp,
  cannyOp,
  centerCropOp,
  letterboxOp,
  normalizeOp,
] as const;

for (const op of IMAGE_OPS) registerOp(op);

export * from './canny.js';
export * from './center-crop.js';
export * from './gaussian-blur.js';
export * from './grayscale.js';
export * from './letterbox.js';
export * from './normalize.js';
export * from './resize.js';
export * from './sobel.js';
export * from './swap-rb.js';
export { roundHalfEven } from './round.js';
export { getOp, listOps, registerOp } from './registry.js';
export { checkInputs, defineOp, resolveAttrs } from './schema.js';
export { checkKernelCall } from './check-call.js';
export type { AttrSpec, InputSpec, OpSchema, TensorSpec } from './schema.js';
