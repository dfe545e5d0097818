import { describe, expect, it } from 'vitest';
import { parseModelsOptions } from './models-options.js';

describe('models bench options', () => {
  it('defaults to every model, and --quick lowers the iterations', () => {
    const o = parseModelsOptions([]);
    expect(o.models).toEqual(['resnet50', 'mobilenetv3', 'yolov8s']);
    expect([o.iterations, o.warmup, o.batches, o.concurrency, o.decode]).toEqual([30, 3, [1, 4, 8], [2, 4], false]);
    const q = parseModelsOptions(['--quick', '--models', 'yolov8s,resnet50', '--json', 'out.json']);
    expect([q.iterations, q.warmup, q.models, q.json]).toEqual([8, 1, ['yolov8s', 'resnet50'], 'out.json']);
    expect(parseModelsOptions(['--quick', '--iterations', '3']).iterations).toBe(3);
  });

  it('refuses unknown models, bad numbers and unknown options', () => {
    expect(() => parseModelsOptions(['--models', 'vgg16'])).toThrow(/--models takes .*vgg16/);
    expect(() => parseModelsOptions(['--iterations', '0'])).toThrow(/--iterations must be an integer >= 1/);
    expect(() => parseModelsOptions(['--batches', '1,x'])).toThrow(/--batches/);
    expect(() => parseModelsOptions(['--nope'])).toThrow();
  });
});
