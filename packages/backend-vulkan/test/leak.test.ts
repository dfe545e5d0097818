// 1,000 open/run/close cycles: Vulkan objects (counted live in the addon), device memory and tensors
// come back to where they started.
import { canny, grayscale, liveTensorCounts, openDevice } from '@ocellus/core';
import { describe, expect, it } from 'vitest';
import { objectCounts } from '../src/index.js';
import { expectCleanValidation, hasDevice, testImage } from './helpers.js';

expectCleanValidation();

describe.skipIf(!hasDevice)('leaks', () => {
  it('returns objects and memory to the start after 1,000 open/run/close cycles', async () => {
    const img = testImage(24, 32, 3);
    // One cycle first so the process-wide instance exists before the baseline is taken.
    await (await openDevice('vulkan', { discover: false })).close();
    const start = objectCounts();
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      const d = await openDevice('vulkan', { discover: false });
      const t = d.tensor(img.data, img.shape);
      const e = canny(grayscale(t));
      await e.data();
      expect(d.memory().liveBuffers).toBe(3);
      await d.close(); // disposes the three tensors
      expect(d.memory().allocatedBytes).toBe(0);
    }
    expect(objectCounts()).toEqual(start);
    expect(Object.keys(liveTensorCounts())).toHaveLength(0);
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
    console.log(`[leak] RSS grew ${grown.toFixed(1)} MiB over 1,000 cycles`);
    expect(grown).toBeLessThan(200);
  }, 600_000);
});
