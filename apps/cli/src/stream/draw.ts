import { annotate } from '../annotate.js';
import type { FrameResult } from './pipeline.js';

/**
 * The frame as written by `-o`: a detector's labelled boxes, or a classifier's top-1 label (a tab at the
 * top left, over a frame-sized box in its class colour); the banner (architecture-only weights) at the
 * bottom. Returns fresh RGB bytes of the same size.
 */
export function drawResult(
  frame: { data: Uint8Array; width: number; height: number },
  result: FrameResult,
  banner: string | undefined,
): Uint8Array {
  const image = { data: frame.data, width: frame.width, height: frame.height, channels: 3 };
  const options = banner === undefined ? {} : { banner };
  if ('detections' in result) return annotate(image, result.detections, options).data;
  const top = result.top[0];
  const whole = [0, 0, frame.width - 1, frame.height - 1] as const;
  const boxes = top ? [{ classIndex: top.index, label: top.label, score: top.score, box: whole }] : [];
  return annotate(image, boxes, options).data;
}
