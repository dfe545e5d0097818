import {
  type Device,
  type LetterboxGeometry,
  type Tensor,
  hostData,
  letterbox,
  letterboxGeometry,
  letterboxOp,
  normalize,
  resizeLinearU8,
  resolveAttrs,
} from '@ocellus/core';

export interface DetectionInput {
  /** float32 [1, C, size, size], pixels / 255, channels in the image's order (RGB for our images). */
  readonly tensor: Tensor;
  /** Where the image sits in the letterbox: maps boxes back with `boxesToOriginal`. */
  readonly geometry: LetterboxGeometry;
}

/** Ultralytics' LetterBox((size, size), auto=False): centred, padded with 114. */
const LETTERBOX = { padValue: 114, auto: false, center: true } as const;
/** Ultralytics' `im.float() / 255`. */
const SCALE = { scale: 1 / 255, mean: [0], std: [1] } as const;

/**
 * The YOLOv8 input, as Ultralytics' predictor builds it: `LetterBox((size, size), auto=False)` (scale to
 * fit keeping the aspect ratio, OpenCV INTER_LINEAR, centred, padded with 114), then `/ 255` to float32
 * NCHW. Ultralytics reads BGR and flips to RGB; our images are RGB already, so nothing is swapped.
 * Runs on the image's device; the letterboxed uint8 intermediate is disposed, the input is not.
 */
export function detectionInput(image: Tensor, size = 640): DetectionInput {
  const { image: boxed, geometry } = detectionLetterbox(image, size);
  try {
    return { tensor: normalize(boxed, SCALE), geometry };
  } finally {
    boxed.dispose();
  }
}

/** The first step of `detectionInput` alone: the letterboxed uint8 [size, size, C] image (the caller disposes it). */
export function detectionLetterbox(image: Tensor, size = 640): { image: Tensor; geometry: LetterboxGeometry } {
  return letterbox(image, { width: size, height: size, ...LETTERBOX });
}

/**
 * The second step of `detectionInput` as a table: the float32 value of each uint8 pixel value,
 * computed by the device's own normalize op (on a 256-pixel ramp), so `normalizeRows` with it gives
 * the very bits `detectionInput` gives. The same for every channel (one mean, one std).
 */
export async function detectionNormalizeTable(device: Device): Promise<Float32Array> {
  const ramp = new Uint8Array(256);
  for (let v = 0; v < 256; v++) ramp[v] = v;
  using image = device.tensor(ramp, [1, 256, 1], 'uint8');
  using values = normalize(image, SCALE);
  return new Float32Array((await values.data()) as Float32Array);
}

/**
 * The host bytes of a uint8 image: a view of the tensor's own memory on the CPU device (no copy;
 * valid until the tensor is disposed), a download elsewhere.
 */
export async function hostPixels(image: Tensor): Promise<Uint8Array> {
  return cpuPixels(image) ?? ((await image.data()) as Uint8Array);
}

/** A uint8 tensor's own memory when it lives on the CPU device (a view: valid until it is disposed), else undefined. */
export function cpuPixels(image: Tensor): Uint8Array | undefined {
  return image.dtype === 'uint8' && image.device.startsWith('cpu:') ? hostData(image, 'uint8') : undefined;
}

/**
 * Rows [y0, y1) of the normalize step on the host: uint8 HWC `pixels` ([height, width, channels]) to
 * float32 CHW planes written into `out` from `offset`, each value `table[pixel]`. Done a band of rows
 * at a time, the caller's thread can give other work a turn between bands, and the planes are written
 * straight into the buffer the model is fed from (no 4.9 MB download copy of a [1, 3, 640, 640] tensor).
 */
export function normalizeRows(
  table: Float32Array,
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: number,
  out: Float32Array,
  offset: number,
  y0: number,
  y1: number,
): void {
  const plane = height * width;
  const start = y0 * width;
  const end = y1 * width;
  for (let c = 0; c < channels; c++) {
    const base = offset + c * plane;
    for (let i = start, s = start * channels + c; i < end; i++, s += channels) out[base + i] = table[pixels[s]!]!;
  }
}

// --- the whole input on the host, a band of rows at a time ----------------------------------------

/** The letterbox geometry `detectionInput(image, size)` uses for an image of this size. */
export function detectionGeometry(height: number, width: number, size = 640): LetterboxGeometry {
  return letterboxGeometry(height, width, resolveAttrs(letterboxOp, { width: size, height: size, ...LETTERBOX }));
}

/**
 * `detectionInput` for uint8 HWC pixels in host memory, written into `out` (float32 [C, size, size]
 * from `offset`) a band of `rowsPerStep` output rows per step: the generator yields between bands.
 * Each band is letterboxed by core's own INTER_LINEAR kernel (`resizeLinearU8`, restricted to the
 * band's rows) into a band buffer padded with 114, then normalized through `table`
 * (`detectionNormalizeTable`) straight into its planes: the same bits as `detectionInput` (tested),
 * with no full-size uint8 or float32 intermediate, and in pieces a caller can spread over turns of its
 * event loop. `check()` runs before every band (a caller's tensor disposed meanwhile throws there,
 * before its memory is read). Returns the geometry. The image must leave no side of 0 pixels
 * (`detectionGeometry`; `detectionInput` says why it fails).
 */
export function* detectionInputSteps(
  pixels: Uint8Array,
  srcH: number,
  srcW: number,
  cn: number,
  table: Float32Array,
  out: Float32Array,
  offset: number,
  size = 640,
  rowsPerStep = 64,
  check: () => void = () => {},
): Generator<void, LetterboxGeometry, void> {
  const g = detectionGeometry(srcH, srcW, size);
  const { padTop, padLeft, resizedHeight: dstH, resizedWidth: dstW } = g;
  const plane = size * size;
  const stride = size * cn;
  const srcStride = srcW * cn;
  // Ultralytics skips cv2.resize when the size is unchanged: copy those rows.
  const copy = dstW === srcW && dstH === srcH;
  const band = new Uint8Array(rowsPerStep * stride);
  for (let y0 = 0; y0 < size; y0 += rowsPerStep) {
    if (y0 > 0) yield;
    check();
    const y1 = Math.min(size, y0 + rowsPerStep);
    band.fill(LETTERBOX.padValue);
    // image rows [d0, d1) land in this band; image row dy is band row dy + padTop - y0
    const d0 = Math.max(0, y0 - padTop);
    const d1 = Math.min(dstH, y1 - padTop);
    const at = (padTop - y0) * stride + padLeft * cn;
    if (copy) {
      for (let dy = d0; dy < d1; dy++)
        band.set(pixels.subarray(dy * srcStride, (dy + 1) * srcStride), at + dy * stride);
    } else {
      resizeLinearU8(pixels, srcH, srcW, cn, band, dstH, dstW, at, stride, d0, d1);
    }
    for (let c = 0; c < cn; c++) {
      for (let y = y0; y < y1; y++) {
        const base = offset + c * plane + y * size;
        for (let x = 0, s = (y - y0) * stride + c; x < size; x++, s += cn) out[base + x] = table[band[s]!]!;
      }
    }
  }
  return g;
}

/**
 * `detectionInput` for an image in host memory, in one go, written into `out` from `offset`: the
 * detector's CPU path (which takes it a band of rows per turn of the caller's thread) without the turns.
 */
export function detectionInputInto(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: number,
  table: Float32Array,
  out: Float32Array,
  offset: number,
  size = 640,
): LetterboxGeometry {
  const steps = detectionInputSteps(pixels, height, width, channels, table, out, offset, size, size);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}
