import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { missingWeightsMessage, weightsJson, weightsLine, weightsOption } from './model-options.js';

const explain = () =>
  missingWeightsMessage(
    'classify',
    ['resnet50', 'mobilenetv3'],
    'classify x.jpg --model resnet50 --weights resnet50.onnx',
  );

describe('weights options', () => {
  it('takes a file, or architecture-only weights with a seed (0 by default)', () => {
    expect(weightsOption('classify', { weights: 'm.onnx' }, explain)).toEqual({ kind: 'user', path: 'm.onnx' });
    expect(weightsOption('classify', { 'architecture-only': true }, explain)).toEqual({
      kind: 'architecture-only',
      seed: 0,
    });
    expect(weightsOption('classify', { 'architecture-only': true, seed: '42' }, explain)).toEqual({
      kind: 'architecture-only',
      seed: 42,
    });
  });

  it('without either, the usage error is the explanation of how to export real weights', () => {
    let error: unknown;
    try {
      weightsOption('classify', {}, explain);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain('torchvision.models.resnet50(weights="IMAGENET1K_V1")');
    expect(message).toContain('mobilenet_v3_large(weights="IMAGENET1K_V1")');
    // V2 weights expect a 232-pixel resize; the pipeline resizes to 256 as V1's transforms do
    expect(message).not.toContain('IMAGENET1K_V2');
    expect(message).not.toContain('yolo export');
    expect(message).toContain('then: ocellus classify x.jpg --model resnet50 --weights resnet50.onnx');
    expect(message).toContain('--architecture-only');
  });

  it('labels architecture-only weights whether built here or read from a file that says so', () => {
    const built = weightsJson({ kind: 'architecture-only', seed: 5 }, 'resnet50', undefined);
    expect(built).toMatchObject({ kind: 'architecture-only', seed: 5 });
    expect(weightsLine(built)).toMatch(
      new RegExp(
        String.raw`^weights: ARCHITECTURE-ONLY \(resnet50 built in memory \(--architecture-only\), seed ` +
          String.raw`5\): predictions are meaningless$`,
      ),
    );
    const file = weightsJson({ kind: 'user', path: 'r.onnx' }, 'resnet50', {
      kind: 'architecture-only',
      source: 'r.onnx',
      seed: 1,
      note: 'n',
    });
    expect(file).toEqual({ kind: 'architecture-only', source: 'r.onnx', seed: 1, note: 'n' });
    const user = weightsJson({ kind: 'user', path: 'r.onnx' }, 'resnet50', { kind: 'user', source: 'r.onnx' });
    expect(user).toEqual({ kind: 'user', source: 'r.onnx' });
    expect(weightsLine(user)).toBe('weights: r.onnx');
  });
});
