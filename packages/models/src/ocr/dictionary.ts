/**
 * PaddleOCR's character list for CTC decoding (BaseRecLabelDecode): 'blank' at index 0, then one
 * character per line of the dictionary file (ppocr_keys_v1.txt), then ' ' (use_space_char).
 */
import { InputLimitError, readBounded } from '@ocellus/core';
import { OcrDictionaryError } from './errors.js';

/** Parse dictionary text: one entry per line, '\r\n' or '\n', no entry after a final newline. */
export function parseDictionary(text: string, name = '<dictionary>', useSpaceChar = true): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0)
    throw new OcrDictionaryError(`dictionary '${name}' is empty: it needs one character per line`);
  return ['blank', ...lines, ...(useSpaceChar ? [' '] : [])];
}

/** PaddleOCR's largest dictionaries are a few hundred KB; 16 MiB bounds a wrong path such as /dev/zero. */
export const MAX_DICTIONARY_BYTES = 16 * 1024 * 1024;

export async function readDictionary(path: string, useSpaceChar = true): Promise<string[]> {
  let text: string;
  try {
    const bytes = await readBounded(path, { maxBytes: MAX_DICTIONARY_BYTES, what: 'OCR dictionary' });
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof InputLimitError) throw new OcrDictionaryError(error.message, { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new OcrDictionaryError(`cannot read OCR dictionary '${path}': ${why}`, { cause: error });
  }
  return parseDictionary(text, path, useSpaceChar);
}
