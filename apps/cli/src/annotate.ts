import { type DecodedImage, writeImage } from '@ocellus/core';

/**
 * `detect -o`: labelled boxes drawn into the pixels of the original image. Everything is drawn here,
 * rectangles and text alike (a built-in 5x7 bitmap font), so the output does not depend on the fonts
 * or the SVG renderer of the machine, and the CLI needs no drawing library.
 */

/** What annotate() needs of a detection: the models package's Detection has these fields. */
export interface BoxToDraw {
  readonly classIndex: number;
  readonly label: string;
  readonly score: number;
  /** [x1, y1, x2, y2] in image pixels. */
  readonly box: readonly [number, number, number, number];
}

export interface AnnotateOptions {
  /** A line written across the bottom of the image (the architecture-only warning). */
  readonly banner?: string;
}

export type Rgb = readonly [number, number, number];

/** Ultralytics' 20-colour palette, so boxes look as users of YOLO expect: class i gets colour i mod 20. */
export const PALETTE: readonly Rgb[] = [
  'FF3838',
  'FF9D97',
  'FF701F',
  'FFB21D',
  'CFD231',
  '48F90A',
  '92CC17',
  '3DDB86',
  '1A9334',
  '00D4BB',
  '2C99A8',
  '00C2FF',
  '344593',
  '6473FF',
  '0018EC',
  '8438FF',
  '520085',
  'CB38FF',
  'FF95C8',
  'FF37C7',
].map(
  (hex) =>
    [
      Number.parseInt(hex.slice(0, 2), 16),
      Number.parseInt(hex.slice(2, 4), 16),
      Number.parseInt(hex.slice(4, 6), 16),
    ] as const,
);

export function classColor(classIndex: number): Rgb {
  return PALETTE[((Math.trunc(classIndex) % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** Box line width in pixels: Ultralytics' max(round((W + H) / 2 * 0.003), 2). */
export function lineWidth(width: number, height: number): number {
  return Math.max(Math.round(((width + height) / 2) * 0.003), 2);
}

/** Text scale: each font pixel becomes a scale x scale square (1 up to ~375 px, 2 to ~625 px, ...). */
export function textScale(width: number, height: number): number {
  return Math.min(6, Math.max(1, Math.round(Math.min(width, height) / 250)));
}

/** The label of a box as drawn: 'person 0.87'. */
export function boxLabel(d: BoxToDraw): string {
  return `${d.label} ${d.score.toFixed(2)}`;
}

/**
 * A copy of `image` as 3-channel RGB with every box drawn (its class colour, its label on a filled tab
 * above the box, or inside it at the top edge of the image) and the banner, if any, at the bottom. The
 * first boxes of the list are drawn last (on top). The size never changes; boxes reaching outside the
 * image are clipped. `image` itself is not modified.
 */
export function annotate(
  image: DecodedImage,
  boxes: readonly BoxToDraw[],
  options: AnnotateOptions = {},
): DecodedImage {
  const canvas = new Canvas(toRgb(image), image.width, image.height);
  const t = lineWidth(image.width, image.height);
  const scale = textScale(image.width, image.height);
  // Every box first, then every label, so no box line runs through another box's label.
  // Boxes are clipped to the image first, so one reaching past an edge still shows its outline there.
  // Drawn last to first: detections come highest score first, so the most confident end up on top.
  const placed = boxes
    .filter((d) => d.box.every(Number.isFinite))
    .map((d) => ({ d, edges: clipBox(d.box, image.width, image.height) }))
    .reverse();
  for (const { d, edges } of placed) canvas.strokeRect(...edges, t, classColor(d.classIndex));
  for (const { d, edges } of placed) canvas.labelTab(boxLabel(d), edges[0], edges[1], scale, classColor(d.classIndex));
  if (options.banner) canvas.banner(options.banner, scale);
  return { data: canvas.data, width: image.width, height: image.height, channels: 3 };
}

/** annotate(), then core's writeImage: atomic, format from the extension. */
export async function writeAnnotated(
  path: string,
  image: DecodedImage,
  boxes: readonly BoxToDraw[],
  options: AnnotateOptions = {},
): Promise<void> {
  await writeImage(path, annotate(image, boxes, options));
}

/** Integer edges [left, top, right, bottom] (inclusive) of a box, ordered and clamped to the image. */
function clipBox(box: BoxToDraw['box'], width: number, height: number): [number, number, number, number] {
  const cx = (v: number) => Math.min(width - 1, Math.max(0, Math.round(v)));
  const cy = (v: number) => Math.min(height - 1, Math.max(0, Math.round(v)));
  return [
    cx(Math.min(box[0], box[2])),
    cy(Math.min(box[1], box[3])),
    cx(Math.max(box[0], box[2])),
    cy(Math.max(box[1], box[3])),
  ];
}

/** Grey, grey+alpha, RGB or RGBA pixels as a fresh RGB buffer (alpha dropped). */
function toRgb(image: DecodedImage): Uint8Array {
  const { data, width, height, channels } = image;
  const n = width * height;
  const out = new Uint8Array(n * 3);
  if (channels === 3) {
    out.set(data.subarray(0, n * 3));
    return out;
  }
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const [r, g, b] = channels >= 3 ? [data[s]!, data[s + 1]!, data[s + 2]!] : [data[s]!, data[s]!, data[s]!];
    out[i * 3] = r;
    out[i * 3 + 1] = g;
    out[i * 3 + 2] = b;
  }
  return out;
}

/** An RGB pixel buffer with clipped drawing primitives. */
class Canvas {
  constructor(
    readonly data: Uint8Array,
    readonly width: number,
    readonly height: number,
  ) {}

  /** Fills [x1, x2) x [y1, y2), clipped to the image. */
  fillRect(x1: number, y1: number, x2: number, y2: number, color: Rgb): void {
    const left = Math.max(0, x1);
    const right = Math.min(this.width, x2);
    const top = Math.max(0, y1);
    const bottom = Math.min(this.height, y2);
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const i = (y * this.width + x) * 3;
        this.data[i] = color[0];
        this.data[i + 1] = color[1];
        this.data[i + 2] = color[2];
      }
    }
  }

  /** A rectangle outline `t` pixels wide, drawn inward from the edges x1..x2, y1..y2 (inclusive). */
  strokeRect(x1: number, y1: number, x2: number, y2: number, t: number, color: Rgb): void {
    const right = x2 + 1;
    const bottom = y2 + 1;
    this.fillRect(x1, y1, right, Math.min(bottom, y1 + t), color);
    this.fillRect(x1, Math.max(y1, bottom - t), right, bottom, color);
    this.fillRect(x1, y1, Math.min(right, x1 + t), bottom, color);
    this.fillRect(Math.max(x1, right - t), y1, right, bottom, color);
  }

  /** Draws `text` with its top-left corner at (x, y); returns the width drawn. */
  text(text: string, x: number, y: number, scale: number, color: Rgb): number {
    let cx = x;
    for (const char of text) {
      const rows = glyph(char);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if ((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1) {
            this.fillRect(cx + c * scale, y + r * scale, cx + (c + 1) * scale, y + (r + 1) * scale, color);
          }
        }
      }
      cx += ADVANCE * scale;
    }
    return cx - x;
  }

  /** A label on a filled tab: above (x, y) when it fits, else just below it; moved left to stay inside. */
  labelTab(text: string, x: number, y: number, scale: number, background: Rgb): void {
    const [w, h] = tabSize(text, scale);
    const top = y - h >= 0 ? y - h : Math.max(0, y);
    const left = Math.max(0, Math.min(x, this.width - w));
    this.fillRect(left, top, left + w, top + h, background);
    this.text(text, left + scale, top + scale, scale, contrasting(background));
  }

  /** White text on a black strip along the bottom edge: smaller text if need be, then shortened to fit. */
  banner(text: string, maxScale: number): void {
    let scale = maxScale;
    while (scale > 1 && tabSize(text, scale)[0] > this.width) scale--;
    const [, h] = tabSize(text, scale);
    const fits = Math.max(1, Math.floor((this.width - 2 * scale) / (ADVANCE * scale)));
    const shown = text.length <= fits ? text : `${text.slice(0, Math.max(0, fits - 3))}...`.slice(0, fits);
    this.fillRect(0, this.height - h, this.width, this.height, [0, 0, 0]);
    this.text(shown, scale, this.height - h + scale, scale, [255, 255, 255]);
  }
}

/** Width and height of a label tab: the text plus one font pixel of padding on each side. */
export function tabSize(text: string, scale: number): [number, number] {
  return [([...text].length * ADVANCE + 1) * scale, (GLYPH_HEIGHT + 2) * scale];
}

/** Black or white, whichever reads better on `color` (Rec. 601 luma). */
export function contrasting(color: Rgb): Rgb {
  return 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2] > 140 ? [0, 0, 0] : [255, 255, 255];
}

/** Horizontal distance from one character to the next, in font pixels (glyph + 1 pixel of spacing). */
const ADVANCE = 6;

// A 5x7 bitmap font for printable ASCII (the classic LCD character-ROM shapes). Each glyph is 7 rows,
// top to bottom; bit 4 of a row is its leftmost pixel.
const GLYPH_WIDTH = 5;
const GLYPH_HEIGHT = 7;

// Code points 32 (space) to 126 (~), 7 rows each.
const ROWS: readonly (readonly number[])[] = [
  [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // space
  [0x04, 0x04, 0x04, 0x04, 0x00, 0x00, 0x04], // !
  [0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00], // "
  [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a], // #
  [0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04], // $
  [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03], // %
  [0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d], // &
  [0x0c, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00], // '
  [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02], // (
  [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08], // )
  [0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00], // *
  [0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00], // +
  [0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08], // ,
  [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00], // -
  [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c], // .
  [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00], // /
  [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e], // 0
  [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e], // 1
  [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f], // 2
  [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e], // 3
  [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02], // 4
  [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e], // 5
  [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e], // 6
  [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08], // 7
  [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e], // 8
  [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c], // 9
  [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00], // :
  [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x04, 0x08], // ;
  [0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02], // <
  [0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00], // =
  [0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08], // >
  [0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04], // ?
  [0x0e, 0x11, 0x01, 0x0d, 0x15, 0x15, 0x0e], // @
  [0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11], // A
  [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e], // B
  [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e], // C
  [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c], // D
  [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f], // E
  [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10], // F
  [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f], // G
  [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11], // H
  [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e], // I
  [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c], // J
  [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], // K
  [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f], // L
  [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11], // M
  [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11], // N
  [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e], // O
  [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10], // P
  [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d], // Q
  [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11], // R
  [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e], // S
  [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04], // T
  [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e], // U
  [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04], // V
  [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a], // W
  [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11], // X
  [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04], // Y
  [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f], // Z
  [0x0e, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0e], // [
  [0x00, 0x10, 0x08, 0x04, 0x02, 0x01, 0x00], // backslash
  [0x0e, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0e], // ]
  [0x04, 0x0a, 0x11, 0x00, 0x00, 0x00, 0x00], // ^
  [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f], // _
  [0x08, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00], // `
  [0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f], // a
  [0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e], // b
  [0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e], // c
  [0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f], // d
  [0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e], // e
  [0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08], // f
  [0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x0e], // g
  [0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11], // h
  [0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e], // i
  [0x02, 0x00, 0x06, 0x02, 0x02, 0x12, 0x0c], // j
  [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12], // k
  [0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e], // l
  [0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11], // m
  [0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11], // n
  [0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e], // o
  [0x00, 0x00, 0x1e, 0x11, 0x1e, 0x10, 0x10], // p
  [0x00, 0x00, 0x0d, 0x13, 0x0f, 0x01, 0x01], // q
  [0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10], // r
  [0x00, 0x00, 0x0e, 0x10, 0x0e, 0x01, 0x1e], // s
  [0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06], // t
  [0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d], // u
  [0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04], // v
  [0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a], // w
  [0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11], // x
  [0x00, 0x00, 0x11, 0x11, 0x0f, 0x01, 0x0e], // y
  [0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f], // z
  [0x02, 0x04, 0x04, 0x08, 0x04, 0x04, 0x02], // {
  [0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04], // |
  [0x08, 0x04, 0x04, 0x02, 0x04, 0x04, 0x08], // }
  [0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00], // ~
];

/** The rows of a character's glyph; anything outside printable ASCII is drawn as '?'. */
export function glyph(char: string): readonly number[] {
  const code = char.codePointAt(0) ?? 63;
  return ROWS[code >= 32 && code <= 126 ? code - 32 : 63 - 32]!;
}
