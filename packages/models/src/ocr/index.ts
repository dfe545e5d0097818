/** OCR (PaddleOCR's PP-OCR system): the pipeline and the pieces it is made of. */
export { createOcr, type Ocr } from './ocr.js';
export type { OcrLine, OcrOptions, OcrPoint, OcrResult } from './ocr-types.js';
export type { OcrModelFiles } from './ocr-models.js';
export { defaultOcrModelPaths, type OcrModelPaths } from './assets.js';
export { OcrDictionaryError } from './errors.js';
export { OCR_EXPECTED_SIGNATURE, type OcrStage } from './ocr-signature.js';
export { textBoxes, DB_DEFAULTS, type DbOptions, type TextBox } from './db-postprocess.js';
export { minAreaRect, miniBox, type Point, type Quad, type RotatedRect } from './geometry.js';
export { perspectiveTransform, warpPerspective, type Matrix3 } from './perspective-warp.js';
export { rectifiedCrop, type HostImage } from './crop.js';
export { ctcGreedyDecode, type DecodedText } from './ctc-decode.js';
export { parseDictionary, readDictionary } from './dictionary.js';
export { detInputSize, detNormalize } from './det-input.js';
export { readingOrder } from './reading-order.js';
export { characterErrorRate, levenshtein, normalizeOcrText } from './cer.js';
