import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcellusError } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError, readModelInfo } from '../onnx/model-info.js';
import { createClassifier } from '../pipelines/classifier.js';
import { createDetector } from '../pipelines/detector.js';
import { ModelSignatureError, formatSignature, validateSignature } from './signature.js';
import { tinyClassifierModel, tinyDetectorModel } from './tiny-onnx.js';

const cls = readModelInfo(tinyClassifierModel(), 'm.onnx');
const det = readModelInfo(tinyDetectorModel(), 'd.onnx');

function signatureError(fn: () => unknown): ModelSignatureError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelSignatureError);
    expect(e).toBeInstanceOf(OcellusError);
    expect((e as ModelSignatureError).code).toBe('ERR_OCELLUS_MODEL_SIGNATURE');
    return e as ModelSignatureError;
  }
  throw new Error('expected a ModelSignatureError');
}

describe('validateSignature', () => {
  it('accepts a torchvision-style classifier and an Ultralytics-style detector', () => {
    expect(validateSignature('classification', cls, 'm.onnx')).toMatchObject({
      inputName: 'input',
      outputName: 'logits',
      classes: 1000,
      fixedBatch: undefined,
    });
    expect(validateSignature('detection', det, 'd.onnx')).toMatchObject({
      inputName: 'images',
      outputName: 'output0',
      classes: 80,
      anchors: 8400,
    });
    const fixed = readModelInfo(tinyClassifierModel({ batch: 1, size: 'h', classes: 10 }));
    expect(validateSignature('classification', fixed)).toMatchObject({ fixedBatch: 1, classes: 10 });
  });

  it('refuses a classifier in the detection pipeline, naming expected and found', () => {
    const e = signatureError(() => validateSignature('detection', cls, 'm.onnx'));
    expect(e.message).toBe(
      "'m.onnx' does not fit the detection pipeline: expected input [N,3,640,640] -> output [N,4+nc,A], " +
        "found input 'input' [batch,3,224,224] -> output 'logits' [batch,1000] (input is 224x224, expected 640x640)",
    );
    expect(e.expected).toBe('input [N,3,640,640] -> output [N,4+nc,A]');
    expect(e.found).toBe("input 'input' [batch,3,224,224] -> output 'logits' [batch,1000]");
  });

  it('refuses a detector in the classification pipeline', () => {
    const e = signatureError(() => validateSignature('classification', det, 'd.onnx'));
    expect(e.message).toMatch(
      new RegExp(
        String.raw`^'d.onnx' does not fit the classification pipeline: expected input \[N,3,224,224\] -> ` +
          String.raw`output \[N,C\], found input 'images' \[batch,3,640,640\] -> output 'output0' ` +
          String.raw`\[batch,84,8400\]`,
      ),
    );
  });

  it('refuses a wrong input size, channel count, rank, output rank and element type', () => {
    const at299 = readModelInfo(tinyClassifierModel({ size: 299 }));
    expect(signatureError(() => validateSignature('classification', at299, 'inception.onnx')).message).toMatch(
      /found input 'input' \[batch,3,299,299\] .*\(input is 299x299, expected 224x224\)$/,
    );
    const at320 = readModelInfo(tinyDetectorModel({ size: 320, anchors: 2100 }));
    expect(signatureError(() => validateSignature('detection', at320, 'y320.onnx')).message).toMatch(
      /\(input is 320x320, expected 640x640\)$/,
    );
    const mk = (inputs: { name: string; dims: (number | string)[]; elemType?: string }[], outputs: typeof inputs) => ({
      inputs,
      outputs,
    });
    const out = [{ name: 'logits', dims: ['N', 1000] }];
    expect(
      signatureError(() => validateSignature('classification', mk([{ name: 'x', dims: ['N', 1, 224, 224] }], out)))
        .message,
    ).toMatch(/input has 1 channels, expected 3/);
    expect(
      signatureError(() => validateSignature('classification', mk([{ name: 'x', dims: [3, 224, 224] }], out))).message,
    ).toMatch(/input rank 3, expected 4/);
    expect(
      signatureError(() =>
        validateSignature('classification', mk([{ name: 'x', dims: ['N', 3, 224, 224], elemType: 'float16' }], out)),
      ).message,
    ).toMatch(/found input 'x' \[N,3,224,224\] float16 .*input 'x' is float16, the pipeline feeds float32/);
    expect(
      signatureError(() =>
        validateSignature(
          'detection',
          mk([{ name: 'images', dims: [1, 3, 640, 640] }], [{ name: 'o', dims: [1, 4, 8400] }]),
        ),
      ).message,
    ).toMatch(/4 rows per anchor, expected 4 box values \+ at least 1 class/);
    expect(
      signatureError(() =>
        validateSignature(
          'detection',
          mk([{ name: 'images', dims: [1, 3, 640, 640] }], [{ name: 'o', dims: [1, 8400, 84] }]),
        ),
      ).message,
    ).toMatch(/looks transposed/);
    const two = mk(
      [{ name: 'images', dims: [1, 3, 640, 640] }],
      [
        { name: 'output0', dims: [1, 116, 8400] },
        { name: 'output1', dims: [1, 32, 160, 160] },
      ],
    );
    expect(signatureError(() => validateSignature('detection', two, 'seg.onnx')).message).toMatch(
      new RegExp(
        String.raw`found input 'images' \[1,3,640,640\] -> outputs 'output0' \[1,116,8400\], 'output1' ` +
          String.raw`\[1,32,160,160\] \(it has 2 outputs`,
      ),
    );
  });

  it('formats signatures the way the messages show them', () => {
    expect(formatSignature({ inputs: [], outputs: [] })).toBe('no inputs -> no outputs');
  });
});

describe('bad model files through the pipelines: named errors with the file name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-signature-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('a detection model in the classifier and a classifier in the detector', async () => {
    const d = write('yolo.onnx', tinyDetectorModel());
    const c = write('resnet.onnx', tinyClassifierModel());
    const classifier = createClassifier({ weights: d, backend: 'cpu' });
    await expect(classifier.load()).rejects.toThrow(ModelSignatureError);
    await expect(classifier.load()).rejects.toThrow(/^'yolo.onnx' does not fit the classification pipeline: expected/);
    await classifier.dispose();
    const detector = createDetector({ weights: c, backend: 'cpu' });
    await expect(detector.load()).rejects.toThrow(/^'resnet.onnx' does not fit the detection pipeline: expected/);
    await detector.dispose();
  });

  it('a wrong input size', async () => {
    const path = write('big.onnx', tinyClassifierModel({ size: 384 }));
    const classifier = createClassifier({ weights: path, backend: 'cpu' });
    await expect(classifier.load()).rejects.toThrow(
      /^'big.onnx' does not fit .*\(input is 384x384, expected 224x224\)$/,
    );
    await classifier.dispose();
  });

  it('a non-ONNX file, a truncated ONNX file, an empty file and a missing file', async () => {
    const cases: [string, Uint8Array | undefined, RegExp][] = [
      [
        'photo.onnx',
        new TextEncoder().encode('\xff\xd8\xff\xe0 this is not a model'),
        /'photo.onnx'.*not an ONNX model/,
      ],
      ['cut.onnx', tinyClassifierModel().subarray(0, 2000), /'cut.onnx'.*truncated/],
      ['empty.onnx', new Uint8Array(0), /'empty.onnx'.*empty/],
      ['missing.onnx', undefined, /cannot read model file '.*missing.onnx': no such file/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = bytes ? write(name, bytes) : join(dir, name);
      const classifier = createClassifier({ weights: path, backend: 'cpu' });
      const error = await classifier.load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ModelFileError);
      expect((error as Error).message, name).toMatch(message);
      await classifier.dispose();
    }
  });
});
