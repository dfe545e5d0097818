import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { roundHalfEven } from './round.js';
import { defineOp, hwc, imageInput, pixelSizeAttr, resolveAttrs } from './schema.js';

export interface LetterboxAttrs {
  /** Target width and height (Ultralytics new_shape). */
  width: number;
  height: number;
  /** Value of the padding (Ultralytics uses 114). */
  padValue: number;
  /** With `auto`, pad only up to the next multiple of `stride` (minimum rectangle). */
  stride: number;
  auto: boolean;
  /** Allow enlarging small images (Ultralytics scaleup). */
  scaleUp: boolean;
  /** Centre the image (pad both sides) rather than pad only right and bottom. */
  center: boolean;
}

export interface LetterboxGeometry {
  /** Source pixels * scale = letterboxed pixels. */
  readonly scale: number;
  /** Size of the resized image inside the padding. */
  readonly resizedWidth: number;
  readonly resizedHeight: number;
  readonly padLeft: number;
  readonly padTop: number;
  readonly padRight: number;
  readonly padBottom: number;
  readonly width: number;
  readonly height: number;
  readonly srcWidth: number;
  readonly srcHeight: number;
}

/** Ultralytics LetterBox arithmetic, step for step (Python rounding included). */
export function letterboxGeometry(srcHeight: number, srcWidth: number, a: LetterboxAttrs): LetterboxGeometry {
  let r = Math.min(a.height / srcHeight, a.width / srcWidth);
  if (!a.scaleUp) r = Math.min(r, 1);
  const resizedWidth = roundHalfEven(srcWidth * r);
  const resizedHeight = roundHalfEven(srcHeight * r);
  let dw = a.width - resizedWidth;
  let dh = a.height - resizedHeight;
  if (a.auto) {
    dw = ((dw % a.stride) + a.stride) % a.stride;
    dh = ((dh % a.stride) + a.stride) % a.stride;
  }
  if (a.center) {
    dw /= 2;
    dh /= 2;
  }
  const padTop = a.center ? roundHalfEven(dh - 0.1) : 0;
  const padBottom = roundHalfEven(dh + 0.1);
  const padLeft = a.center ? roundHalfEven(dw - 0.1) : 0;
  const padRight = roundHalfEven(dw + 0.1);
  return {
    scale: r,
    resizedWidth,
    resizedHeight,
    padLeft,
    padTop,
    padRight,
    padBottom,
    width: resizedWidth + padLeft + padRight,
    height: resizedHeight + padTop + padBottom,
    srcWidth,
    srcHeight,
  };
}

/** Resize (OpenCV INTER_LINEAR) keeping the aspect ratio, then pad: the YOLO input step. */
export const letterboxOp = defineOp<LetterboxAttrs>({
  name: 'letterbox',
  doc: 'Aspect-preserving resize into a padded target (Ultralytics LetterBox)',
  inputs: [imageInput()],
  attrs: {
    width: pixelSizeAttr('target width', 640),
    height: pixelSizeAttr('target height', 640),
    padValue: { type: 'int', min: 0, max: 255, default: 114, doc: 'padding value' },
    stride: { type: 'int', min: 1, max: 4096, default: 32, doc: 'stride for auto padding' },
    auto: { type: 'bool', default: false, doc: 'minimum rectangle' },
    scaleUp: { type: 'bool', default: true, doc: 'allow enlarging' },
    center: { type: 'bool', default: true, doc: 'centre the image' },
  },
  outputs: ([image], a) => {
    const [h, w, c] = hwc(image!);
    const g = letterboxGeometry(h, w, a);
    if (g.resizedWidth < 1 || g.resizedHeight < 1) {
      throw new ShapeError(
        `letterbox: a ${w}x${h} image scaled by ${g.scale} into ${a.width}x${a.height} leaves a side of 0 ` +
          'pixels; crop it first',
      );
    }
    return [{ dtype: 'uint8', shape: [g.height, g.width, c] }];
  },
});

export interface LetterboxResult {
  readonly image: Tensor;
  readonly geometry: LetterboxGeometry;
}

export function letterbox(image: Tensor, attrs?: Partial<LetterboxAttrs>): LetterboxResult {
  const [out] = image.owner.run(letterboxOp, [image], attrs);
  const full = resolveAttrs(letterboxOp, attrs);
  return { image: out!, geometry: letterboxGeometry(image.shape[0]!, image.shape[1]!, full) };
}

/**
 * Maps boxes [x1, y1, x2, y2, ...] (flat, 4 numbers a box) from letterboxed pixels back to the
 * original image, clipped to it (Ultralytics scale_boxes). Returns a new array.
 */
export function boxesToOriginal(boxes: ArrayLike<number>, g: LetterboxGeometry, clip = true): Float32Array {
  const out = new Float32Array(boxes.length);
  for (let i = 0; i + 3 < boxes.length; i += 4) {
    let x1 = (boxes[i]! - g.padLeft) / g.scale;
    let y1 = (boxes[i + 1]! - g.padTop) / g.scale;
    let x2 = (boxes[i + 2]! - g.padLeft) / g.scale;
    let y2 = (boxes[i + 3]! - g.padTop) / g.scale;
    if (clip) {
      x1 = Math.min(Math.max(x1, 0), g.srcWidth);
      x2 = Math.min(Math.max(x2, 0), g.srcWidth);
      y1 = Math.min(Math.max(y1, 0), g.srcHeight);
      y2 = Math.min(Math.max(y2, 0), g.srcHeight);
    }
    out[i] = x1;
    out[i + 1] = y1;
    out[i + 2] = x2;
    out[i + 3] = y2;
  }
  return out;
}
