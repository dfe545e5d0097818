import { OcellusError } from '@ocellus/core';

/** The recognition dictionary cannot be read, is empty, or does not match the recognition model's classes. */
export class OcrDictionaryError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_OCR_DICTIONARY';
  constructor(message: string, options?: { cause?: unknown }) {
    super(OcrDictionaryError.CODE, message, options);
  }
}
