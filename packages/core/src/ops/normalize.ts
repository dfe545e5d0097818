import { AttributeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, hwc, imageInput } from './schema.js';

export interface NormalizeAttrs {
  /** Per-channel mean (one value for all channels, or one per channel), after `scale`. */
  mean: readonly number[];
  /** Per-channel standard deviation, after `scale`. */
  std: readonly number[];
  /** Multiplies the pixel first: 1/255 maps uint8 to [0, 1]. */
  scale: number;
  /** Reverse the channel order (BGR input for an RGB model). */
  swapRB: boolean;
  /** Output element type. */
  dtype: 'float32' | 'float16';
}

/**
 * The "blob from image" step: uint8 HWC -> float NCHW with N = 1, out = (pixel * scale - mean[c]) / std[c].
 * ImageNet: mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225], scale 1/255.
 */
export const normalizeOp = defineOp<NormalizeAttrs>({
  name: 'normalize',
  doc: 'uint8 HWC image to float NCHW with per-channel mean and std',
  inputs: [imageInput()],
  attrs: {
    mean: { type: 'floats', minLength: 1, maxLength: 4, default: [0], doc: 'per-channel mean' },
    std: { type: 'floats', minLength: 1, maxLength: 4, default: [1], doc: 'per-channel std' },
    scale: { type: 'float', default: 1 / 255, doc: 'pixel scale applied first' },
    swapRB: { type: 'bool', default: false, doc: 'reverse channel order' },
    dtype: { type: 'enum', oneOf: ['float32', 'float16'], default: 'float32', doc: 'output dtype' },
  },
  outputs: ([image], a) => {
    const [h, w, c] = hwc(image!);
    for (const [name, v] of [
      ['mean', a.mean],
      ['std', a.std],
    ] as const) {
      if (v.length !== 1 && v.length !== c) {
        throw new AttributeError(
          `normalize: attribute '${name}' needs 1 or ${c} values for a ${c}-channel image, got ${v.length}`,
        );
      }
    }
    if (a.std.some((s) => s === 0)) throw new AttributeError("normalize: attribute 'std' must not contain 0");
    // 1/std must be a finite float32: a denormal such as 1e-45 gives Infinity in every output value
    const bad = a.std.find((s) => !Number.isFinite(Math.fround(1 / s)) || !Number.isFinite(s));
    if (bad !== undefined) {
      throw new AttributeError(
        `normalize: attribute 'std' value ${bad} is too small (1/std overflows float32): use values of at least 3e-38`,
      );
    }
    return [{ dtype: a.dtype, shape: [1, c, h, w] }];
  },
});

export function normalize(image: Tensor, attrs?: Partial<NormalizeAttrs>): Tensor {
  return image.owner.run(normalizeOp, [image], attrs)[0]!;
}

/** Per-channel (mean, 1/std) with a one-value list broadcast, in output channel order. */
export function channelParams(a: NormalizeAttrs, c: number): { mean: Float64Array; invStd: Float64Array } {
  const mean = new Float64Array(c);
  const invStd = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    mean[i] = a.mean.length === 1 ? a.mean[0]! : a.mean[i]!;
    invStd[i] = 1 / (a.std.length === 1 ? a.std[0]! : a.std[i]!);
  }
  return { mean, invStd };
}
