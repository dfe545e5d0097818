import { describe, expect, it } from 'vitest';
import { ModelSignatureError } from '../engine/signature.js';
import type { ModelInfo } from '../onnx/model-info.js';
import { checkOcrSignature } from './ocr-signature.js';

const info = (input: (number | string)[], output: (number | string)[]): ModelInfo => ({
  inputs: [{ name: 'x', dims: input, elemType: 'float32' }],
  outputs: [{ name: 'y', dims: output, elemType: 'float32' }],
  metadata: {},
  opset: 11,
  producer: 'test',
  irVersion: 7,
});

describe('checkOcrSignature', () => {
  it('accepts PP-OCR det, rec and cls shapes and reads the rec class count', () => {
    expect(checkOcrSignature('det', info(['n', 3, 'h', 'w'], ['n', 1, 'h', 'w']), 'det.onnx')).toEqual({
      inputName: 'x',
      outputName: 'y',
    });
    expect(checkOcrSignature('rec', info(['n', 3, 48, 'w'], ['n', 't', 6625]), 'rec.onnx').classes).toBe(6625);
    expect(checkOcrSignature('cls', info(['n', 3, 'h', 'w'], ['n', 2]), 'cls.onnx').inputName).toBe('x');
  });
  it('refuses a model of another stage, naming the file', () => {
    expect(() => checkOcrSignature('det', info(['n', 3, 48, 'w'], ['n', 't', 6625]), 'rec.onnx')).toThrow(
      ModelSignatureError,
    );
    expect(() => checkOcrSignature('cls', info(['n', 3, 48, 192], ['n', 4]), 'four.onnx')).toThrow(
      /'four\.onnx' does not fit the OCR cls stage.*dim 1 is 4/,
    );
    expect(() => checkOcrSignature('rec', info(['n', 3, 32, 'w'], ['n', 't', 97]), 'v2.onnx')).toThrow(
      /dim 2 is 32, not 48/,
    );
  });
});
