import { errorClass } from '@ocellus/core';

/** The recognition dictionary cannot be read, is empty, or does not match the recognition model's classes. */
export const OcrDictionaryError = errorClass('OcrDictionaryError', 'ERR_OCELLUS_OCR_DICTIONARY');
export type OcrDictionaryError = InstanceType<typeof OcrDictionaryError>;
