import { describe, expect, it } from 'vitest';
import * as models from '../index.js';

describe('@ocellus/models OCR exports', () => {
  it('exports the OCR pipeline and its pieces', () => {
    for (const name of [
      'createOcr',
      'defaultOcrModelPaths',
      'textBoxes',
      'minAreaRect',
      'warpPerspective',
      'rectifiedCrop',
      'ctcGreedyDecode',
      'readDictionary',
      'characterErrorRate',
      'readingOrder',
    ]) {
      expect(typeof (models as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(new models.OcrDictionaryError('x').code).toBe('ERR_OCELLUS_OCR_DICTIONARY');
  });
});
