import { describe, expect, it } from 'vitest';
import { parseStreamOptions } from './options.js';

const base = ['clip.mp4', '--model', 'mobilenetv3', '--architecture-only'];

describe('stream lanes: one per listed device, times --lanes', () => {
  it.each([
    [[], ['auto']],
    [
      ['--lanes', '3'],
      ['auto', 'auto', 'auto'],
    ],
    [
      ['--backend', 'cpu,vulkan:0'],
      ['cpu', 'vulkan:0'],
    ],
    [
      ['--backend', 'cpu,vulkan:0', '--lanes', '2'],
      ['cpu', 'cpu', 'vulkan:0', 'vulkan:0'],
    ],
  ])('%j -> %j', (extra, lanes) => {
    expect(parseStreamOptions([...base, ...extra]).lanes).toEqual(lanes);
  });

  it('defaults', () => {
    expect(parseStreamOptions(base)).toMatchObject({ priority: 'normal', json: false, maxFrames: undefined });
  });
});
