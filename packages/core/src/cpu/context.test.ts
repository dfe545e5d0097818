import { describe, expect, it } from 'vitest';
import { grayscale, openDevice } from '../index.js';

describe('CPU context memory', () => {
  it('reuses freed buffers of the same size and reports them as pooled', async () => {
    const d = await openDevice('cpu', { discover: false });
    const a = d.empty('uint8', [1000]);
    const bufferA = a.buffer;
    a.dispose();
    expect(d.memory()).toMatchObject({ allocatedBytes: 0, pooledBytes: 1000, liveBuffers: 0, peakBytes: 1000 });
    const b = d.empty('uint8', [10, 100]);
    expect(b.buffer).toBe(bufferA);
    expect(d.memory()).toMatchObject({ allocatedBytes: 1000, pooledBytes: 0, liveBuffers: 1 });
    const c = d.empty('uint8', [999]);
    expect(c.buffer).not.toBe(bufferA);
    await d.close();
    expect(d.memory()).toMatchObject({ allocatedBytes: 0, pooledBytes: 0, liveBuffers: 0 });
  });

  it('overwrites every element of a reused output buffer', async () => {
    const d = await openDevice('cpu', { discover: false });
    const img = d.tensor(new Uint8Array(4 * 4 * 3).fill(10), [4, 4, 3]);
    const dirty = d.tensor(new Uint8Array(16).fill(255), [4, 4, 1]);
    dirty.dispose(); // its buffer goes to the pool, still holding 255s
    const g = grayscale(img);
    expect([...(await g.data())]).toEqual(new Array(16).fill(10));
    await d.close();
  });

  it('counts uploads, downloads and kernel runs', async () => {
    const d = await openDevice('cpu', { discover: false });
    const img = d.tensor(new Uint8Array(12), [2, 2, 3]);
    await grayscale(img).data();
    expect(d.memory()).toMatchObject({ uploads: 1, uploadBytes: 12, downloads: 1, downloadBytes: 4, kernelRuns: 1 });
    await d.close();
  });
});
