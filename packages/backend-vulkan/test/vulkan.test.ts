import {
  DTypeError,
  DeviceMismatchError,
  type Device,
  OcellusError,
  ShapeError,
  canny,
  gaussianBlur,
  grayscale,
  normalize,
  openDevice,
  resize,
} from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
import { type VulkanContext, backend, objectCounts, registerKernel, vulkanContext } from '../src/index.js';
import { expectCleanValidation, hasDevice, probe, testImage } from './helpers.js';

expectCleanValidation();

describe('discovery', () => {
  it('probes every device with its facts, or none with a reason', async () => {
    expect(await backend.probe()).toEqual(probe);
    if (!hasDevice) {
      expect(probe.reason).toMatch(/apt-get install|build it/);
      return;
    }
    const d = probe.devices[0]!;
    expect(d).toMatchObject({ backend: 'vulkan', index: 0 });
    expect(['discrete', 'integrated', 'virtual', 'cpu', 'other']).toContain(d.type);
    expect(d.memoryBytes).toBeGreaterThan(0);
    expect(d.driver).toBeTruthy();
    expect(d.features).toMatchObject({
      subgroupSize: expect.any(Number),
      float16: expect.any(Boolean),
      int8: expect.any(Boolean),
    });
    expect(d.features!.maxWorkgroupSizeX).toBeGreaterThanOrEqual(128);
  });
});

describe.skipIf(!hasDevice)('on the Vulkan device', () => {
  let dev: Device;
  let cpu: Device;
  let ctx: VulkanContext;
  beforeAll(async () => {
    dev = await openDevice('vulkan', { discover: false });
    cpu = await openDevice('cpu', { discover: false });
    ctx = vulkanContext(dev);
  });
  afterAll(async () => {
    await dev?.close();
    await cpu?.close();
  });

  const chain = async (d: Device, h: number, w: number) => {
    const img = testImage(h, w, 3, 9);
    using t = d.tensor(img.data, img.shape);
    using g = grayscale(t);
    using b = gaussianBlur(g, { ksize: 5 });
    using e = canny(b, { low: 40, high: 120 });
    using r = resize(t, { width: Math.round(w * 0.6), height: Math.round(h * 0.6) });
    using n = normalize(r, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    return { edges: await e.data(), blob: await n.data() };
  };

  it('runs a chain with one upload and only the downloads asked for, bit-exact with the CPU reference', async () => {
    const before = dev.memory();
    const got = await chain(dev, 241, 319);
    const after = dev.memory();
    expect(after.uploads - before.uploads).toBe(1);
    expect(after.downloads - before.downloads).toBe(2);
    expect(after.kernelRuns - before.kernelRuns).toBe(5);
    const want = await chain(cpu, 241, 319);
    // Exact, not within the suite's tolerance: every kernel reproduces the CPU arithmetic.
    expect(same(got.edges, want.edges)).toBe(true);
    expect(same(got.blob, want.blob)).toBe(true);
  });

  it('keeps memory statistics: pooled buffers are reused, nothing stays allocated', async () => {
    await chain(dev, 64, 64);
    const m1 = dev.memory();
    await chain(dev, 64, 64);
    const m2 = ctx.memory();
    expect(m2.allocatedBytes).toBe(0);
    expect(m2.liveBuffers).toBe(0);
    expect(m2.pooledBytes).toBeGreaterThan(0);
    expect(m2.deviceMemoryBytes).toBe(m1.pooledBytes); // the second run allocated nothing new
    expect(m2.peakBytes).toBeGreaterThan(0);
  });

  it('refuses a tensor of another context with a named error', async () => {
    await using other = await openDevice('vulkan', { discover: false });
    using t = other.tensor(new Uint8Array(12), [2, 2, 3]);
    expect(() => grayscale(t) && dev.run('grayscale', [t])).toThrow(DeviceMismatchError);
    using mine = dev.empty('uint8', [2, 2, 1]);
    // Straight at the context, bypassing core's Device checks: still a named error, nothing recorded.
    expect(() => ctx.run('grayscale', [t], [mine], { order: 'rgb' })).toThrow(DeviceMismatchError);
  });

  it('refuses shapes and dtypes the kernel does not take, at the Device and at the context', () => {
    using f = dev.tensor(new Float32Array(12), [2, 2, 3]);
    expect(() => grayscale(f)).toThrow(DTypeError);
    using two = dev.tensor(new Uint8Array(8), [2, 2, 2]);
    expect(() => grayscale(two)).toThrow(ShapeError);
    using out = dev.empty('uint8', [2, 2, 1]);
    expect(() => ctx.run('grayscale', [two], [out], { order: 'rgb' })).toThrow(ShapeError);
    using rgb = dev.tensor(new Uint8Array(12), [2, 2, 3]);
    using wrong = dev.empty('uint8', [3, 2, 1]);
    expect(() => ctx.run('grayscale', [rgb], [wrong], { order: 'rgb' })).toThrow(ShapeError);
    expect(dev.liveTensors).toBe(5);
  });

  it('refuses a buffer larger than the device allows (maxStorageBufferRange) with a named error', () => {
    const limit = Number(probe.devices[0]!.features!.maxStorageBufferRange);
    let err: unknown;
    try {
      dev.empty('uint8', [1, 1, limit + 1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OcellusError);
    expect((err as OcellusError).code).toBe('ERR_OCELLUS_VULKAN_BUFFER_TOO_LARGE');
    expect(dev.memory().allocatedBytes).toBe(0);
  });

  it('runs a custom GLSL kernel between built-in ops, without a host round trip', async () => {
    await registerKernel({
      name: 'invert',
      // uint8 tensors are packed four bytes per uint32 word: invert every byte of each word.
      glsl: `#version 450
        layout(local_size_x = 64) in;
        layout(std430, binding = 0) readonly buffer Src { uint src[]; };
        layout(std430, binding = 1) writeonly buffer Dst { uint dst[]; };
        layout(push_constant) uniform P { uint words; };
        void main() { uint i = gl_GlobalInvocationID.x; if (i < words) dst[i] = ~src[i]; }`,
      bindings: 2,
      pushConstants: 4,
      workgroups: ([input]) => [Math.ceil(Math.ceil(input!.size / 4) / 64)],
    });
    const img = testImage(33, 47, 3, 4);
    using t = dev.tensor(img.data, img.shape);
    using g = grayscale(t);
    using inv = dev.empty('uint8', g.shape);
    const before = dev.memory();
    ctx.runCustom('invert', [g], [inv], Uint32Array.of(Math.ceil(g.size / 4)));
    using b = gaussianBlur(inv, { ksize: 3 });
    const got = await b.data();
    expect(dev.memory().uploads - before.uploads).toBe(0);
    const cg = cpu.tensor(img.data, img.shape);
    const ref = await cpu
      .tensor(
        ((await grayscale(cg).data()) as Uint8Array).map((v) => 255 - v),
        g.shape,
      )
      .data();
    const want = await gaussianBlur(cpu.tensor(ref, g.shape), { ksize: 3 }).data();
    expect(same(got, want)).toBe(true);
    expect(() => ctx.runCustom('nope', [g], [inv])).toThrow(/no custom kernel 'nope'/);
    expect(() => ctx.runCustom('invert', [g], [inv])).toThrow(/push constants/);
    await expect(registerKernel({ name: 'bad', glsl: 'not glsl', bindings: 1, workgroups: () => [1] })).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_OCELLUS_VULKAN_GLSL' }),
    );
  });

  it('destroys every Vulkan object of a context on close()', async () => {
    const start = objectCounts();
    const d = await openDevice('vulkan', { discover: false });
    const img = testImage(20, 30, 3);
    canny(grayscale(d.tensor(img.data, img.shape)));
    expect(objectCounts().pipelines).toBeGreaterThan(start.pipelines!);
    await d.close();
    expect(objectCounts()).toEqual(start);
  });
});
