import { describe, expect, it } from 'vitest';
import { backendNames, backendOption, numberOption, outputOption, parseCommand } from './args.js';
import { UsageError } from './errors.js';

describe('parseCommand', () => {
  const options = { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } } as const;

  it('returns values and positionals', () => {
    const { values, positionals } = parseCommand('x', ['in.jpg', '-o', 'out.png', '--json'], options, {
      names: ['<image>'],
      required: 1,
    });
    expect(values).toMatchObject({ output: 'out.png', json: true });
    expect(positionals).toEqual(['in.jpg']);
  });

  it.each([
    [['--nope'], /x: Unknown option '--nope'$/],
    [[], /x: missing <image>$/],
    [['a', 'b'], /x: unexpected argument 'b'$/],
    [['a', '-o'], /x: Option '-o, --output <value>' argument missing$/],
  ])('rejects %j as a usage error', (args, message) => {
    const call = () => parseCommand('x', args, options, { names: ['<image>'], required: 1 });
    expect(call).toThrow(UsageError);
    expect(call).toThrow(message);
  });
});

describe('numberOption', () => {
  it('uses the default when absent and parses numbers', () => {
    expect(numberOption('c', 'low', undefined, 50)).toBe(50);
    expect(numberOption('c', 'low', '12.5', 50)).toBe(12.5);
  });

  it.each(['abc', '', ' ', '1e999', 'NaN', '10px'])('rejects %j', (raw) => {
    expect(() => numberOption('c', 'low', raw, 50)).toThrow(/--low must be a number/);
  });

  it('checks integer and range rules', () => {
    expect(() => numberOption('c', 'blur', '2.5', 0, { integer: true })).toThrow(/integer/);
    expect(() => numberOption('c', 'low', '-1', 0, { min: 0 })).toThrow(/at least 0/);
    expect(() => numberOption('c', 'blur', '65', 0, { max: 63 })).toThrow(/at most 63/);
  });
});

describe('outputOption', () => {
  it('takes image extensions and rejects a missing path or an unknown format', () => {
    for (const p of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp']) expect(outputOption('c', p)).toBe(p);
    expect(() => outputOption('c', undefined)).toThrow(/missing -o/);
    expect(() => outputOption('c', 'out.txt')).toThrow(UsageError);
    expect(() => outputOption('c', 'noext')).toThrow(/image format of 'noext'/);
  });
});

describe('backendOption', () => {
  it.each([
    ['auto', 'auto'],
    ['cpu', 'cpu'],
    ['vulkan:1', 'vulkan:1'],
    ['webgpu, vulkan,cpu', 'webgpu,vulkan,cpu'],
  ])('accepts %j', (raw, spec) => {
    expect(backendOption('c', raw)).toBe(spec);
  });

  it.each(['', 'CPU', 'cpu:', 'cpu:x', 'vulkan,,cpu', 'auto,cpu', 'a b'])('rejects %j', (raw) => {
    expect(() => backendOption('c', raw)).toThrow(UsageError);
  });

  it('lists the backend names of a spec', () => {
    expect(backendNames('auto')).toEqual([]);
    expect(backendNames('vulkan:1,cpu')).toEqual(['vulkan', 'cpu']);
  });
});
