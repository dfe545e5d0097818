import { AttributeError, type Tensor, centerCrop, normalize, resize } from '@ocellus/core';

/** ImageNet channel statistics (RGB), as torchvision's eval transforms use them. */
export const IMAGENET_MEAN: readonly number[] = Object.freeze([0.485, 0.456, 0.406]);
export const IMAGENET_STD: readonly number[] = Object.freeze([0.229, 0.224, 0.225]);

export interface ClassificationPreprocess {
  /** The shorter side after resizing (torchvision `Resize(256)`). */
  readonly resize?: number;
  /** The square centre crop (torchvision `CenterCrop(224)`). */
  readonly crop?: number;
  /** Per-channel mean and std after scaling to [0, 1]. ImageNet's by default. */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/**
 * torchvision 0.14 `_compute_resized_output_size` for an int size: the shorter side becomes `size`,
 * the other `int(size * long / short)` (truncated, Python's float division).
 */
export function resizedOutputSize(height: number, width: number, size: number): { width: number; height: number } {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? { width: size, height: newLong } : { width: newLong, height: size };
}

function checkSize(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) throw new AttributeError(`classification preprocessing: '${name}' must be a positive integer, got ${v}`);
  return v;
}

/**
 * torchvision's eval transform up to the crop: `Resize(resize)` with PIL's antialiased bilinear filter
 * (the op's 'bilinear-antialias'), then `CenterCrop(crop)`. Returns uint8 [crop, crop, C] on the
 * image's device; the resized intermediate is disposed. The input is not.
 */
export function classificationPixels(image: Tensor, options: ClassificationPreprocess = {}): Tensor {
  const size = checkSize('resize', options.resize ?? 256);
  const crop = checkSize('crop', options.crop ?? 224);
  const [h, w] = image.shape as [number, number, number];
  const target = resizedOutputSize(h, w, size);
  // torchvision returns the image itself when it already has the target size.
  if (target.width === w && target.height === h) return centerCrop(image, { width: crop, height: crop });
  const resized = resize(image, { ...target, interpolation: 'bilinear-antialias' });
  try {
    return centerCrop(resized, { width: crop, height: crop });
  } finally {
    resized.dispose();
  }
}

/**
 * The classification input of ResNet-50 / MobileNetV3 from a uint8 [H, W, 3] RGB image: exactly
 * torchvision's `Resize(256)`, `CenterCrop(224)`, `ToTensor()`, `Normalize(mean, std)` on a PIL image,
 * with core ops on the image's device. float32 [1, 3, crop, crop]; intermediates are disposed.
 */
export function classificationInput(image: Tensor, options: ClassificationPreprocess = {}): Tensor {
  const pixels = classificationPixels(image, options);
  try {
    return normalize(pixels, { scale: 1 / 255, mean: options.mean ?? IMAGENET_MEAN, std: options.std ?? IMAGENET_STD });
  } finally {
    pixels.dispose();
  }
}
