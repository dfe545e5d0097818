import type { EngineOptions } from '../engine/pipeline-support.js';
import type { DbOptions } from './db-postprocess.js';
import type { OcrModelFiles } from './ocr-models.js';

export type OcrPoint = [number, number];

export interface OcrLine {
  readonly text: string;
  /** Mean of the per-character maximum probabilities (CTC greedy), 0..1. */
  readonly confidence: number;
  /** Top-left, top-right, bottom-right, bottom-left of the detected text region, original image pixels. */
  readonly polygon: [OcrPoint, OcrPoint, OcrPoint, OcrPoint];
}

export interface OcrResult {
  /** The path, or '<bytes>', '<pixels>', '<tensor>'. */
  readonly image: string;
  readonly width: number;
  readonly height: number;
  /** In reading order (top to bottom, left to right within a row). */
  readonly lines: readonly OcrLine[];
}

export interface OcrOptions extends EngineOptions, OcrModelFiles, DbOptions {
  /** Core device spec for pre-processing. Default 'auto'. */
  backend?: string;
  /** The detection input's long side is at most this (then rounded to multiples of 32). Default 960. */
  detLimitSide?: number;
  /** A crop is turned 180 degrees when the classifier says so with more than this probability. Default 0.9. */
  clsThresh?: number;
  /** Lines recognised with a confidence under this are dropped (PaddleOCR's drop_score). Default 0.5. */
  dropScore?: number;
  /** Text crops per recognition / classification run. Default 6 (PaddleOCR's rec_batch_num). */
  recBatch?: number;
}
