import { describe, expect, it } from 'vitest';
import { parseBenchOptions, parseDuration } from './bench-options.js';

describe('bench options', () => {
  it('defaults, --quick, lists and durations', () => {
    const o = parseBenchOptions([]);
    expect([o.models, o.backends, o.precisions, o.batches, o.concurrency, o.iterations]).toEqual([
      ['resnet50', 'mobilenetv3', 'yolov8s', 'ocr'],
      ['auto'],
      ['fp32'],
      [1, 8],
      [1, 4],
      20,
    ]);
    const q = parseBenchOptions([
      '--quick',
      '--models',
      'yolov8s,ocr',
      '--backends',
      'cpu,vulkan',
      '--precision',
      'fp32,int8',
    ]);
    expect([q.models, q.backends, q.precisions, q.batches, q.concurrency, q.iterations, q.warmup]).toEqual([
      ['yolov8s', 'ocr'],
      ['cpu', 'vulkan'],
      ['fp32', 'int8'],
      [1],
      [1],
      8,
      1,
    ]);
    expect(parseBenchOptions(['--duration', '10s']).durationMs).toBe(10_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
  });

  it('refuses bad input', () => {
    expect(() => parseBenchOptions(['--models', 'vgg'])).toThrow(/--models/);
    expect(() => parseBenchOptions(['--precision', 'fp8'])).toThrow(/--precision/);
    expect(() => parseBenchOptions(['--duration', '10s', '--iterations', '3'])).toThrow(/exclude/);
    expect(() => parseBenchOptions(['--duration', 'soon'])).toThrow(/--duration/);
    expect(() => parseBenchOptions(['--batch', '0'])).toThrow(/--batch/);
  });
});
