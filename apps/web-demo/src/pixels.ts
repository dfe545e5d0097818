/** Row-major HWC uint8 pixels, as core's tensors hold them (1 = grey, 3 = RGB, 4 = RGBA). */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

/** Drops the alpha channel of canvas RGBA pixels: core's decodeImage gives RGB by default, and so does the page. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Pixels {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    data[i * 3] = rgba[i * 4]!;
    data[i * 3 + 1] = rgba[i * 4 + 1]!;
    data[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
  return { width, height, channels: 3, data };
}

/** RGBA for a canvas from grey, grey+alpha, RGB or RGBA pixels (opaque unless the pixels have alpha). */
export function toRgba(p: Pixels): Uint8ClampedArray<ArrayBuffer> {
  const n = p.width * p.height;
  const out = new Uint8ClampedArray(n * 4);
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const grey = c <= 2;
    out[i * 4] = p.data[s]!;
    out[i * 4 + 1] = p.data[grey ? s : s + 1]!;
    out[i * 4 + 2] = p.data[grey ? s : s + 2]!;
    out[i * 4 + 3] = c === 2 ? p.data[s + 1]! : c === 4 ? p.data[s + 3]! : 255;
  }
  return out;
}

/** Base64 of raw bytes, chunked so large images do not overflow the argument list of fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
