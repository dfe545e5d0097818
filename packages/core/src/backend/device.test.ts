import { describe, expect, it } from 'vitest';
import {
  DeviceMismatchError,
  DisposedError,
  OcellusError,
  Tensor,
  grayscale,
  liveTensorCounts,
  normalize,
  openDevice,
} from '../index.js';

const open = () => openDevice('cpu', { discover: false });

describe('Device and Tensor', () => {
  it('refuses plain-array values that do not fit the dtype instead of wrapping them', async () => {
    await using device = await open();
    expect(() => device.tensor([300, -1], [2], 'uint8')).toThrow(
      'value 300 at index 0 does not fit uint8 (whole numbers from 0 to 255)',
    );
    expect(() => device.tensor([1, 2.5], [2], 'int32')).toThrow(/value 2\.5 at index 1 does not fit int32/);
    expect(() => device.tensor([127, -129], [2], 'int8')).toThrow(/-129 at index 1/);
    using ok = device.tensor([0, 255], [2], 'uint8');
    expect(Array.from((await ok.data()) as Uint8Array)).toEqual([0, 255]);
  });

  it('refuses a normalize std whose inverse overflows float32 (it gave Infinity everywhere)', async () => {
    await using device = await open();
    using image = device.tensor(new Uint8Array(12), [2, 2, 3], 'uint8');
    expect(() => normalize(image, { std: [1e-45] })).toThrow(/attribute 'std' value 1e-45 is too small/);
  });

  it('creates tensors with dtype, shape, strides and the device they live on, and reads them back', async () => {
    const d = await open();
    const t = d.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t).toBeInstanceOf(Tensor);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(t.device).toBe('cpu:0');
    expect(t.byteLength).toBe(24);
    expect([...(await t.data())]).toEqual([1, 2, 3, 4, 5, 6]);
    const h = d.tensor(new Uint16Array([0x3c00]), [1]);
    expect(h.dtype).toBe('float16');
    const i64 = d.tensor(new BigInt64Array([-5n, 7n]), [2]);
    expect([...((await i64.data()) as BigInt64Array)]).toEqual([-5n, 7n]);
    const b = d.tensor([1, 0, 1], [3], 'bool');
    expect([...(await b.data())]).toEqual([1, 0, 1]);
    expect(d.liveTensors).toBe(4);
    await d.close();
  });

  it('dispose() and Symbol.dispose free memory once; use after dispose is a named error', async () => {
    const d = await open();
    {
      using scoped = d.empty('int32', [10]);
      expect(scoped.disposed).toBe(false);
      expect(d.memory().allocatedBytes).toBe(40);
    }
    expect(d.memory().allocatedBytes).toBe(0);
    const t = d.empty('uint8', [4, 4, 3]);
    t.dispose();
    t.dispose();
    expect(d.liveTensors).toBe(0);
    await expect(t.data()).rejects.toThrow(DisposedError);
    expect(() => grayscale(t)).toThrow(/was disposed/);
    await d.close();
  });

  it('closing a device disposes its tensors and refuses further work', async () => {
    const d = await open();
    const t = d.empty('uint8', [2, 2, 3]);
    await d.close();
    expect(t.disposed).toBe(true);
    expect(d.liveTensors).toBe(0);
    expect(() => d.empty('uint8', [1])).toThrow(/device cpu:0 is closed/);
    await d.close(); // idempotent
  });

  it('refuses tensors from another device and mismatched data with named errors', async () => {
    const a = await open();
    const b = await open();
    const t = a.tensor(new Uint8Array(12), [2, 2, 3]);
    expect(() => b.run('grayscale', [t])).toThrow(DeviceMismatchError);
    expect(() => b.run('grayscale', [t])).toThrow(/lives on another device than cpu:0; copy it with device.adopt/);
    const moved = await b.adopt(t);
    expect(moved.owner).toBe(b);
    expect(() => a.tensor(new Uint8Array(5), [2, 2, 3])).toThrow(
      /data of 5 bytes does not fill a uint8\[2,2,3\] tensor \(12 bytes\)/,
    );
    expect(() => a.tensor(new Uint8Array(0), [-1])).toThrow(/invalid dimension -1/);
    expect(() => a.empty('float64' as never, [1])).toThrow(/"float64" is not a dtype: use one of float32, float16/);
    expect(() => a.tensor([1, 2], [2], 'int64')).toThrow(OcellusError);
    await a.close();
    await b.close();
  });

  it('counts live tensors per device for leak tests', async () => {
    const a = await open();
    const t1 = a.empty('uint8', [1]);
    a.empty('uint8', [1]);
    expect(liveTensorCounts()).toEqual({ 'cpu:0': 2 });
    t1.dispose();
    expect(liveTensorCounts()).toEqual({ 'cpu:0': 1 });
    await a.close();
    expect(liveTensorCounts()).toEqual({});
  });
});

describe('leaks', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const rssMB = () => {
    gc?.();
    return process.memoryUsage().rss / 2 ** 20;
  };

  const leakTitle =
    '10,000 create/run/dispose cycles of tensors and devices leave no live tensor and RSS growth under 20 MB';
  it(leakTitle, async () => {
    const pixels = new Uint8Array(64 * 64 * 3).map((_, i) => i % 251);
    const cycle = async () => {
      const d = await open();
      const t = d.tensor(pixels, [64, 64, 3]);
      const g = grayscale(t);
      t.dispose();
      g.dispose();
      d.empty('float32', [16]); // left for close() to dispose
      await d.close();
    };
    for (let i = 0; i < 1000; i++) await cycle(); // warm up the JIT and the heap
    const before = rssMB();
    for (let i = 0; i < 10_000; i++) await cycle();
    const growth = rssMB() - before;
    console.log(`leak test: RSS growth ${growth.toFixed(1)} MB over 10,000 cycles (gc exposed: ${gc !== undefined})`);
    expect(liveTensorCounts()).toEqual({});
    expect(growth).toBeLessThan(20);
  });
});
