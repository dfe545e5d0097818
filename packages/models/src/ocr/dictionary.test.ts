import { describe, expect, it } from 'vitest';
import { defaultOcrModelPaths } from './assets.js';
import { parseDictionary, readDictionary } from './dictionary.js';
import { OcrDictionaryError } from './errors.js';

describe('OCR dictionary', () => {
  it("puts 'blank' first and ' ' last, one entry per line, CRLF or LF, no entry after a final newline", () => {
    expect(parseDictionary('a\r\nb\nc\n')).toEqual(['blank', 'a', 'b', 'c', ' ']);
    expect(parseDictionary('a\nb', 'x', false)).toEqual(['blank', 'a', 'b']);
  });
  it('refuses an empty dictionary', () => {
    expect(() => parseDictionary('', 'empty.txt')).toThrow(OcrDictionaryError);
  });
  it('reads ppocr_keys_v1.txt as the 6625 classes of the PP-OCRv4 rec model', async () => {
    const chars = await readDictionary(defaultOcrModelPaths().dictionary);
    expect(chars).toHaveLength(6625);
    expect(chars.slice(-1)).toEqual([' ']);
    for (const c of 'aZ09.,!-(') expect(chars).toContain(c);
  });
});
