import {
  AttributeError,
  type Device,
  type Tensor,
  centerCrop,
  centerCropOffset,
  normalize,
  resize,
  resizeAntialiasRegionU8,
} from '@ocellus/core';

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
  if (!Number.isSafeInteger(v) || v < 1)
    throw new AttributeError(`classification preprocessing: '${name}' must be a positive integer, got ${v}`);
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

/**
 * The normalize step of `classificationInput` as tables: per channel, the float32 value of each uint8
 * value, computed by the device's own normalize op on a 256-pixel ramp, so a lookup gives the very bits
 * `classificationInput` gives. [3 x 256], channel-major.
 */
export async function classificationNormalizeTable(
  device: Device,
  options: ClassificationPreprocess = {},
): Promise<Float32Array> {
  const ramp = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) ramp.fill(v, v * 3, v * 3 + 3);
  using image = device.tensor(ramp, [1, 256, 3], 'uint8');
  using values = normalize(image, {
    scale: 1 / 255,
    mean: options.mean ?? IMAGENET_MEAN,
    std: options.std ?? IMAGENET_STD,
  });
  const chw = (await values.data()) as Float32Array; // [1, 3, 1, 256]
  return new Float32Array(chw);
}

/**
 * `classificationInput` for an RGB image in host memory, written straight into `out` from `offset`
 * (float32 [3, crop, crop]): the resize computes only the centre crop's pixels (the same bytes as
 * resizing everything and cropping), and each pixel is normalized by table lookup. No tensors, no
 * download: the CPU path of the classifier. `table` comes from classificationNormalizeTable with the same
 * mean and std; `scratch` keeps the resize's intermediate rows between calls.
 */
export function classificationInputInto(
  pixels: Uint8Array,
  height: number,
  width: number,
  table: Float32Array,
  out: Float32Array,
  offset: number,
  options: ClassificationPreprocess = {},
  scratch: { bytes: Uint8Array; crop?: Uint8Array } = { bytes: new Uint8Array(0) },
): void {
  const size = checkSize('resize', options.resize ?? 256);
  const crop = checkSize('crop', options.crop ?? 224);
  const target = resizedOutputSize(height, width, size);
  // torchvision keeps the image as it is when it already has the target size: then only the crop
  const [rh, rw] = target.width === width && target.height === height ? [height, width] : [target.height, target.width];
  const { top, left } = centerCropOffset(rh, rw, crop, crop);
  const plane = crop * crop;
  if (!scratch.crop || scratch.crop.length !== plane * 3) scratch.crop = new Uint8Array(plane * 3);
  const px = scratch.crop;
  // centerCrop pads with 0 where the crop reaches past the image (torchvision pads a smaller image)
  const y0 = Math.max(0, top);
  const x0 = Math.max(0, left);
  const y1 = Math.min(rh, top + crop);
  const x1 = Math.min(rw, left + crop);
  if (y0 !== top || x0 !== left || y1 - y0 !== crop || x1 - x0 !== crop) px.fill(0);
  if (y1 > y0 && x1 > x0) {
    const region = { top: y0, left: x0, height: y1 - y0, width: x1 - x0 };
    const part =
      region.height === crop && region.width === crop ? px : new Uint8Array(region.height * region.width * 3);
    resizeAntialiasRegionU8(pixels, height, width, 3, rh, rw, region, part, scratch);
    if (part !== px) {
      for (let y = 0; y < region.height; y++) {
        px.set(
          part.subarray(y * region.width * 3, (y + 1) * region.width * 3),
          ((y0 - top + y) * crop + (x0 - left)) * 3,
        );
      }
    }
  }
  for (let c = 0; c < 3; c++) {
    const base = offset + c * plane;
    const t = c * 256;
    for (let i = 0, s = c; i < plane; i++, s += 3) out[base + i] = table[t + px[s]!]!;
  }
}
