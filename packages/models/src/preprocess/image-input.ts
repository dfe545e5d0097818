import { type DecodedImage, type Device, errorClass, Tensor, decodeImage, readImage } from '@ocellus/core';
import type { ImageInput } from '../types.js';

/** An image input that is none of path, bytes, decoded pixels or uint8 HWC tensor, or has an unusable shape. */
export const ImageInputError = errorClass('ImageInputError', 'ERR_OCELLUS_IMAGE_INPUT');
export type ImageInputError = InstanceType<typeof ImageInputError>;

export interface ImageTensor {
  /** uint8 [H, W, 3] RGB on the device. */
  readonly tensor: Tensor;
  /** True when the tensor was made here and the caller must dispose it; false when it is the caller's own. */
  readonly owned: boolean;
  /** What to call the image in messages: the path, '<bytes>', '<pixels>' or '<tensor>'. */
  readonly name: string;
}

/**
 * Brings any `ImageInput` onto `device` as a uint8 [H, W, 3] RGB tensor, the form every pipeline takes:
 * - a path is read and decoded (EXIF orientation applied unless `orientation: 'ignore'`), bytes likewise;
 * - decoded pixels are uploaded;
 * - a uint8 [H, W, C] tensor on this device is used as it is (not owned), one on another device is copied.
 *
 * Channels: 3 are taken as RGB. 4 (RGBA) drop the alpha channel, through a copy. 1 (grey) is expanded
 * to R = G = B, and 2 (grey + alpha) likewise after dropping alpha: this is what decoding a grey file
 * gives (`decodeImage` mode 'rgb') and what PIL's `convert('RGB')` does, which the reference pipelines
 * (`Image.open(path).convert('RGB')`) apply, so a grey image classifies the same however it arrives.
 * Alpha is dropped, not composited: transparent pixels keep their stored colour, as in `convert('RGB')`.
 */
export async function toImageTensor(
  device: Device,
  input: ImageInput,
  limits: { maxPixels?: number; orientation?: 'apply' | 'ignore' } = {},
): Promise<ImageTensor> {
  if (typeof input === 'string') {
    return { tensor: await readImage(device, input, { mode: 'rgb', ...limits }), owned: true, name: input };
  }
  if (input instanceof Tensor) return fromTensor(device, input);
  if (input instanceof Uint8Array) {
    const decoded = await decodeImage(input, { mode: 'rgb', name: '<bytes>', ...limits });
    return { tensor: upload(device, decoded, '<bytes>'), owned: true, name: '<bytes>' };
  }
  if (isDecodedImage(input)) return { tensor: upload(device, input, '<pixels>'), owned: true, name: '<pixels>' };
  throw new ImageInputError(
    'image input must be a file path, encoded bytes (Uint8Array), decoded pixels { data, width, height, ' +
      `channels } or a uint8 [H, W, C] Tensor, got ${describe(input)}`,
  );
}

function isDecodedImage(v: unknown): v is DecodedImage {
  const d = v as Partial<DecodedImage> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    d.data instanceof Uint8Array &&
    typeof d.width === 'number' &&
    typeof d.height === 'number' &&
    typeof d.channels === 'number'
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'an object';
}

function checkChannels(name: string, c: number, shape: string): void {
  if (![1, 2, 3, 4].includes(c)) {
    throw new ImageInputError(
      `image ${name} has ${c} channels (${shape}); an image needs 1 (grey), 2, 3 (RGB) or 4 (RGBA)`,
    );
  }
}

function upload(device: Device, img: DecodedImage, name: string): Tensor {
  const { width: w, height: h, channels: c } = img;
  const shape = `${w}x${h}x${c}`;
  if (!(Number.isSafeInteger(w) && Number.isSafeInteger(h) && w > 0 && h > 0)) {
    throw new ImageInputError(`image ${name} has no pixels or a bad size (${shape})`);
  }
  checkChannels(name, c, shape);
  if (img.data.length !== w * h * c) {
    throw new ImageInputError(
      `image ${name}: ${img.data.length} bytes of pixels do not fill ${shape} (${w * h * c} bytes)`,
    );
  }
  const rgb = c === 3 ? img.data : toRGB(img.data, w * h, c);
  return device.tensor(rgb, [h, w, 3], 'uint8');
}

/** Host copy to RGB: the alpha channel dropped, grey expanded to three equal channels. */
function toRGB(src: Uint8Array, pixels: number, c: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  if (c >= 3) {
    for (let i = 0, s = 0, d = 0; i < pixels; i++, s += c, d += 3) {
      out[d] = src[s]!;
      out[d + 1] = src[s + 1]!;
      out[d + 2] = src[s + 2]!;
    }
  } else {
    for (let i = 0, s = 0, d = 0; i < pixels; i++, s += c, d += 3) {
      const g = src[s]!;
      out[d] = g;
      out[d + 1] = g;
      out[d + 2] = g;
    }
  }
  return out;
}

async function fromTensor(device: Device, t: Tensor): Promise<ImageTensor> {
  const name = '<tensor>';
  const shape = t.describe();
  if (t.dtype !== 'uint8' || t.shape.length !== 3) {
    throw new ImageInputError(`image ${name} must be a uint8 [H, W, C] tensor, got ${shape}`);
  }
  const [h, w, c] = t.shape as [number, number, number];
  if (h === 0 || w === 0) throw new ImageInputError(`image ${name} has no pixels (${shape})`);
  checkChannels(name, c, shape);
  if (c === 3) {
    if (t.owner === device) return { tensor: t, owned: false, name };
    return { tensor: await device.adopt(t), owned: true, name };
  }
  const data = (await t.data()) as Uint8Array;
  return { tensor: device.tensor(toRGB(data, h * w, c), [h, w, 3], 'uint8'), owned: true, name };
}
