import { describe, expect, it } from 'vitest';
import { ModelFileError, readModelInfo } from '../onnx/model-info.js';
import { classifierArchitectureTests } from './classifier-architecture.testkit.js';
import { buildResNet50 } from './resnet50.js';

describe('ResNet-50 (torchvision v1.5 layout), architecture-only weights', () => {
  const bytes = classifierArchitectureTests({
    model: 'resnet50',
    torchvision: 'resnet50',
    build: buildResNet50,
    parameters: 25_557_032,
    seed: 7,
  });

  it('names half of the file as truncated', () => {
    const half = bytes().subarray(0, bytes().length >> 1);
    expect(() => readModelInfo(half, 'resnet50.onnx')).toThrow(ModelFileError);
    expect(() => readModelInfo(half, 'resnet50.onnx')).toThrow(/^'resnet50.onnx' is truncated/);
  });
});
