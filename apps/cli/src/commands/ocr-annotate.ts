/**
 * `ocr -o`: each recognised line's polygon drawn into the pixels of the original image, with the
 * detect drawing's palette and line width (annotate.ts), so the two commands' outputs look alike.
 * Polygons are drawn rather than boxes because rotated text gives rotated quads.
 */
import { type DecodedImage, writeImage } from '@ocellus/core';
import { type Rgb, classColor, lineWidth } from '../annotate.js';

export type Polygon = readonly (readonly [number, number])[];

/** A 3-channel copy of `image` with every polygon outlined (line i in palette colour i). */
export function annotatePolygons(image: DecodedImage, polygons: readonly Polygon[]): DecodedImage {
  const { width, height } = image;
  const data = toRgb(image);
  const t = lineWidth(width, height);
  polygons.forEach((poly, i) => {
    const color = classColor(i);
    for (let k = 0; k < poly.length; k++) {
      const a = poly[k]!;
      const b = poly[(k + 1) % poly.length]!;
      strokeLine(data, width, height, a, b, t, color);
    }
  });
  return { data, width, height, channels: 3 };
}

export async function writeAnnotatedPolygons(
  path: string,
  image: DecodedImage,
  polygons: readonly Polygon[],
): Promise<void> {
  await writeImage(path, annotatePolygons(image, polygons));
}

/** A line of thickness t: a t x t square stamped at every step along it (clipped to the image). */
function strokeLine(
  data: Uint8Array,
  w: number,
  h: number,
  a: readonly [number, number],
  b: readonly [number, number],
  t: number,
  color: Rgb,
): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1])));
  const half = Math.floor((t - 1) / 2);
  for (let s = 0; s <= steps; s++) {
    const cx = Math.round(a[0] + ((b[0] - a[0]) * s) / steps) - half;
    const cy = Math.round(a[1] + ((b[1] - a[1]) * s) / steps) - half;
    for (let y = Math.max(0, cy); y < Math.min(h, cy + t); y++) {
      for (let x = Math.max(0, cx); x < Math.min(w, cx + t); x++) data.set(color, (y * w + x) * 3);
    }
  }
}

function toRgb(image: DecodedImage): Uint8Array {
  const { data, width, height, channels: c } = image;
  if (c === 3) return new Uint8Array(data);
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const s = p * c;
    if (c >= 3) out.set([data[s]!, data[s + 1]!, data[s + 2]!], p * 3);
    else out.fill(data[s]!, p * 3, p * 3 + 3);
  }
  return out;
}
