/**
 * PaddleOCR's DBPostProcess (PP-OCRv4 det: thresh 0.3, box_thresh 0.6, unclip_ratio 1.5, min_size 3,
 * no dilation, 'fast' score, quad boxes) and TextDetector.filter_tag_det_res: probability map ->
 * text quads in original image pixels.
 */
import { boxScore } from './box-score.js';
import { connectedComponents } from './components.js';
import { type Point, type Quad, dist, miniBox, orderClockwise, unclipRect } from './geometry.js';

export interface DbOptions {
  /** Pixels with probability > thresh are text. Default 0.3. */
  readonly thresh?: number;
  /** A region is kept when its mean probability is >= boxThresh. Default 0.6. */
  readonly boxThresh?: number;
  /** How far boxes grow: distance = area * unclipRatio / perimeter. Default 1.5. */
  readonly unclipRatio?: number;
  /** At most this many regions. Default 1000. */
  readonly maxCandidates?: number;
}

export const DB_DEFAULTS = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, maxCandidates: 1000 } as const;

/** Regions whose min-area rectangle's short side is under this are noise (map pixels). */
const MIN_SIZE = 3;

export interface TextBox {
  /** Top-left, top-right, bottom-right, bottom-left, integer pixels of the original image. */
  readonly quad: Quad;
  /** Mean probability inside the region before it was grown. */
  readonly score: number;
}

/**
 * Boxes of one probability map (mapHeight x mapWidth, the resized image) mapped back to the original
 * image (srcHeight x srcWidth), dropping the ones PaddleOCR drops.
 */
export function textBoxes(
  prob: Float32Array,
  mapHeight: number,
  mapWidth: number,
  srcHeight: number,
  srcWidth: number,
  options: DbOptions = {},
): TextBox[] {
  const thresh = options.thresh ?? DB_DEFAULTS.thresh;
  const boxThresh = options.boxThresh ?? DB_DEFAULTS.boxThresh;
  const ratio = options.unclipRatio ?? DB_DEFAULTS.unclipRatio;
  const maxCandidates = options.maxCandidates ?? DB_DEFAULTS.maxCandidates;

  const mask = new Uint8Array(mapHeight * mapWidth);
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i]! > thresh ? 1 : 0;
  const components = connectedComponents(mask, mapHeight, mapWidth).slice(0, maxCandidates);

  const boxes: TextBox[] = [];
  for (const c of components) {
    const first = miniBox(c.extremes);
    if (first.shortSide < MIN_SIZE) continue;
    const score = boxScore(prob, mapHeight, mapWidth, first.box);
    if (score < boxThresh) continue;
    const grown = miniBox(unclipRect(first.box, ratio));
    if (grown.shortSide < MIN_SIZE + 2) continue;
    const mapped = grown.box.map(
      (p): Point => [
        clamp(Math.round((p[0] / mapWidth) * srcWidth), 0, srcWidth),
        clamp(Math.round((p[1] / mapHeight) * srcHeight), 0, srcHeight),
      ],
    );
    const quad = orderClockwise(mapped).map(
      (p): Point => [clamp(p[0], 0, srcWidth - 1), clamp(p[1], 0, srcHeight - 1)],
    ) as unknown as Quad;
    // filter_tag_det_res: int() of the side lengths must exceed 3 pixels
    if (Math.trunc(dist(quad[0], quad[1])) <= 3 || Math.trunc(dist(quad[0], quad[3])) <= 3) continue;
    boxes.push({ quad, score });
  }
  return boxes;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
