import {
  DTypeError,
  DeviceMismatchError,
  type Device,
  OcellusError,
  ShapeError,
  canny,
  float32ToFloat16Bits,
  gaussianBlur,
  grayscale,
  normalize,
  openDevice,
  resize,
  selectBackend,
} from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebGpuContext, WgslCompileError, backend, registerKernel, webgpuContext } from '../src/index.js';
import { expectNoLiveObjects, hasDevice, probe, same, testImage } from './helpers.js';

expectNoLiveObjects();

describe('discovery', () => {
  it('probes every adapter with its facts, or none with a reason', async () => {
    expect(await backend.probe()).toEqual(probe);
    if (!hasDevice) {
      expect(probe.reason).toMatch(/WebGPU: .*(apt-get install|webgpu)/);
      return;
    }
    const d = probe.devices[0]!;
    expect(d).toMatchObject({ backend: 'webgpu', index: 0 });
    expect(['discrete', 'integrated', 'other', 'cpu']).toContain(d.type);
    expect(d.features).toMatchObject({
      shaderF16: expect.any(Boolean),
      fallback: expect.any(Boolean),
      vendor: expect.any(String),
    });
    expect(d.features!.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    // Adapters are deduplicated: no two devices describe the same adapter.
    const keys = probe.devices.map((x) => JSON.stringify([x.name, x.features!.fallback]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.skipIf(!probe.devices.some((d) => /swiftshader/i.test(d.name)))(
    'reports SwiftShader as a CPU: auto passes over it, webgpu takes it',
    async () => {
      const swift = probe.devices.find((d) => /swiftshader/i.test(d.name))!;
      expect(swift.type).toBe('cpu');
      const auto = await selectBackend('auto', { discover: false });
      if (probe.devices.every((d) => d.type === 'cpu')) {
        expect(auto.device.backend).not.toBe('webgpu');
        expect(auto.skipped.find((s) => s.backend === 'webgpu')?.reason).toMatch(/only CPU-emulated devices/);
      }
      expect((await selectBackend('webgpu', { discover: false })).device.backend).toBe('webgpu');
    },
  );
});

describe.skipIf(!hasDevice)('on the WebGPU device', () => {
  let dev: Device;
  let cpu: Device;
  let ctx: WebGpuContext;
  beforeAll(async () => {
    dev = await openDevice('webgpu', { discover: false });
    cpu = await openDevice('cpu', { discover: false });
    ctx = webgpuContext(dev);
  });
  afterAll(async () => {
    expect(ctx?.errors ?? []).toEqual([]); // no uncaptured WebGPU error in the whole file
    await dev?.close();
    await cpu?.close();
  });

  const chain = async (d: Device, h: number, w: number) => {
    const img = testImage(h, w, 3, 9);
    using t = d.tensor(img.data, img.shape);
    using g = grayscale(t);
    using b = gaussianBlur(g, { ksize: 5 });
    using e = canny(b, { low: 40, high: 120 });
    using r = resize(t, {
      width: Math.round(w * 0.6),
      height: Math.round(h * 0.6),
      interpolation: 'bilinear-antialias',
    });
    using n = normalize(r, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], dtype: 'float16' });
    return { edges: await e.data(), blob: await n.data() };
  };

  it('runs a chain with one upload and one submit per download, bit-exact with the CPU reference', async () => {
    const before = ctx.memory();
    const got = await chain(dev, 241, 319);
    const after = ctx.memory();
    expect(after.uploads - before.uploads).toBe(1);
    expect(after.downloads - before.downloads).toBe(2);
    expect(after.kernelRuns - before.kernelRuns).toBe(5);
    // The five ops were recorded into one command buffer: the only submits are the two downloads'.
    expect(after.submits - before.submits).toBe(2);
    const want = await chain(cpu, 241, 319);
    expect(got.edges.some((v) => v === 255)).toBe(true);
    expect(same(got.edges, want.edges)).toBe(true);
    expect(same(got.blob, want.blob)).toBe(true);
  });

  it('keeps memory statistics: pooled buffers are reused, nothing stays allocated', async () => {
    await chain(dev, 64, 64);
    const m1 = ctx.memory();
    await chain(dev, 64, 64);
    const m2 = ctx.memory();
    expect(m2.allocatedBytes).toBe(0);
    expect(m2.liveBuffers).toBe(0);
    expect(m2.pooledBytes).toBeGreaterThan(0);
    expect(m2.deviceMemoryBytes).toBe(m1.deviceMemoryBytes); // the second run created no buffer
    expect(m2.peakBytes).toBeGreaterThan(0);
    expect(m2.hostStagingBytes).toBeGreaterThan(0);
    expect(m2.uploadBytes - m1.uploadBytes).toBe(64 * 64 * 3);
  });

  it('round-trips sizes that are not whole words, and downloads ranges at any offset', async () => {
    for (const n of [1, 2, 3, 5, 7, 13]) {
      const data = Uint8Array.from({ length: n }, (_, i) => 200 - i * 7);
      using t = dev.tensor(data, [1, 1, n]);
      expect([...(await t.data())]).toEqual([...data]);
      if (n >= 5) expect([...(await ctx.download(t.buffer, 1, 3))]).toEqual([...data.subarray(1, 4)]);
    }
    using odd = dev.tensor(testImage(3, 5, 3).data, [3, 5, 3]);
    using g = grayscale(odd); // 15 bytes: the kernel writes whole words into the padded buffer
    const cg = cpu.tensor(testImage(3, 5, 3).data, [3, 5, 3]);
    expect(same(await g.data(), await grayscale(cg).data())).toBe(true);
  });

  it('refuses a tensor of another context with a named error', async () => {
    await using other = await openDevice('webgpu', { discover: false });
    using t = other.tensor(new Uint8Array(12), [2, 2, 3]);
    expect(() => dev.run('grayscale', [t])).toThrow(DeviceMismatchError);
    using mine = dev.empty('uint8', [2, 2, 1]);
    // Straight at the context, bypassing core's Device checks: still a named error, nothing recorded.
    expect(() => ctx.run('grayscale', [t], [mine], { order: 'rgb' })).toThrow(DeviceMismatchError);
    using c = cpu.tensor(new Uint8Array(12), [2, 2, 3]);
    expect(() => ctx.run('grayscale', [c], [mine], { order: 'rgb' })).toThrow(/another backend/);
  });

  it('refuses shapes, dtypes, sizes and copies it cannot do with named errors', () => {
    using f = dev.tensor(new Float32Array(12), [2, 2, 3]);
    expect(() => grayscale(f)).toThrow(DTypeError);
    using two = dev.tensor(new Uint8Array(8), [2, 2, 2]);
    expect(() => grayscale(two)).toThrow(ShapeError);
    using out = dev.empty('uint8', [2, 2, 1]);
    expect(() => ctx.run('grayscale', [two], [out], { order: 'rgb' })).toThrow(ShapeError);
    using rgb = dev.tensor(new Uint8Array(12), [2, 2, 3]);
    using wrong = dev.empty('uint8', [3, 2, 1]);
    expect(() => ctx.run('grayscale', [rgb], [wrong], { order: 'rgb' })).toThrow(ShapeError);
    using fout = dev.empty('float32', [2, 2, 1]);
    expect(() => ctx.run('grayscale', [rgb], [fout], { order: 'rgb' })).toThrow(DTypeError);
    expect(() => ctx.upload(new Uint8Array(3), rgb.buffer, 2)).toThrow(
      expect.objectContaining({ code: 'ERR_OCELLUS_WEBGPU_ALIGNMENT' }),
    );
    expect(() => ctx.upload(new Uint8Array(16), rgb.buffer, 0)).toThrow(ShapeError);
    const limit = Number(probe.devices[0]!.features!.maxStorageBufferBindingSize);
    const err = (() => {
      try {
        dev.empty('uint8', [1, 1, limit + 1]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OcellusError);
    expect((err as OcellusError).code).toBe('ERR_OCELLUS_WEBGPU_BUFFER_TOO_LARGE');
    expect(dev.liveTensors).toBe(6);
  });

  it('runs a custom WGSL kernel between built-in ops, without a host round trip', async () => {
    registerKernel({
      name: 'invert',
      // uint8 tensors are packed four bytes per u32 word: invert every byte of each word.
      wgsl: /* wgsl */ `
        @group(0) @binding(0) var<storage, read> src: array<u32>;
        @group(0) @binding(1) var<storage, read_write> dst: array<u32>;
        struct P { words: u32 }
        @group(0) @binding(2) var<uniform> u: P;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
          if (g.x < u.words) { dst[g.x] = ~src[g.x]; }
        }`,
      bindings: 2,
      uniformBytes: 4,
      workgroups: ([input]) => [Math.ceil(Math.ceil(input!.size / 4) / 64)],
    });
    expect(() => ctx.runCustom('invert', [], [])).toThrow(/await compileKernel\('invert'\) first/);
    await ctx.compileKernel('invert');
    const img = testImage(33, 47, 3, 4);
    using t = dev.tensor(img.data, img.shape);
    using g = grayscale(t);
    using inv = dev.empty('uint8', g.shape);
    const before = ctx.memory();
    ctx.runCustom('invert', [g], [inv], Uint32Array.of(Math.ceil(g.size / 4)));
    using b = gaussianBlur(inv, { ksize: 3 });
    const got = await b.data();
    expect(ctx.memory().uploads - before.uploads).toBe(0);
    expect(ctx.memory().submits - before.submits).toBe(1);
    // The JS computation: invert the CPU reference's grayscale, then blur on the CPU reference.
    const gray = (await grayscale(cpu.tensor(img.data, img.shape)).data()) as Uint8Array;
    const want = await gaussianBlur(
      cpu.tensor(
        gray.map((v) => 255 - v),
        g.shape,
      ),
      { ksize: 3 },
    ).data();
    expect(same(got, want)).toBe(true);
    expect(() => ctx.runCustom('nope', [g], [inv])).toThrow(/no custom kernel 'nope'/);
    expect(() => ctx.runCustom('invert', [g], [inv])).toThrow(/4 bytes of uniforms, got 0/);
    expect(() => ctx.runCustom('invert', [g], [], Uint32Array.of(1))).toThrow(/declares 2 bindings/);
  });

  it('refuses invalid WGSL with a named error carrying the compiler message, and keeps working', async () => {
    registerKernel({
      name: 'broken',
      wgsl: '@compute @workgroup_size(64) fn main() { let x: u32 = ; }',
      bindings: 0,
      workgroups: () => [1],
    });
    const err = await ctx.compileKernel('broken').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WgslCompileError);
    expect((err as WgslCompileError).code).toBe('ERR_OCELLUS_WEBGPU_WGSL');
    expect((err as Error).message).toMatch(/kernel 'broken'.*\n\s+1:\d+ error: missing initializer/);
    // A kernel that parses but does not validate (binding of the wrong address space for its use).
    registerKernel({
      name: 'invalid',
      wgsl:
        '@group(0) @binding(0) var<storage, read> a: array<u32>; @compute @workgroup_size(1) fn main() { ' +
        'a[0] = 1u; }',
      bindings: 1,
      workgroups: () => [1],
    });
    await expect(ctx.compileKernel('invalid')).rejects.toThrow(/kernel 'invalid'.*did not compile or validate/s);
    expect(ctx.errors).toEqual([]); // scoped: nothing leaked to uncapturederror
    using t = dev.tensor(testImage(4, 4, 3).data, [4, 4, 3]);
    expect((await grayscale(t).data()).length).toBe(16);
  });

  const float16Title =
    "converts float32 to float16 bits on the device (pack2x16float) as core's converter does, within 1 ulp";
  it(float16Title, async () => {
    registerKernel({
      name: 'pack-half',
      wgsl: /* wgsl */ `
        @group(0) @binding(0) var<storage, read> src: array<f32>;
        @group(0) @binding(1) var<storage, read_write> dst: array<u32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
          let i = g.x;
          if (2u * i + 1u < arrayLength(&src)) { dst[i] = pack2x16float(vec2f(src[2u * i], src[2u * i + 1u])); }
        }`,
      bindings: 2,
      workgroups: ([s]) => [Math.ceil(s!.size / 2 / 64)],
    });
    await ctx.compileKernel('pack-half');
    // Values normalize produces (ImageNet range), plus halfway cases and values near the float16 limits.
    const values = new Float32Array(4096);
    for (let i = 0; i < values.length; i++)
      values[i] = i < 3000 ? (i / 255 - 0.485) / 0.229 - 2 * Math.sin(i) : (i - 3500) * 17.3;
    values.set([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 2 ** -14, 2 ** -20, -0.5, 0, 1]);
    using s = dev.tensor(values, [1, 1, values.length]);
    using h = dev.empty('float16', [1, 1, values.length]);
    ctx.runCustom('pack-half', [s], [h]);
    const got = (await h.data()) as Uint16Array;
    let differ = 0;
    for (let i = 0; i < values.length; i++) {
      const want = float32ToFloat16Bits(values[i]!);
      if (got[i] !== want) differ++;
      expect(Math.abs(got[i]! - want), `value ${values[i]}`).toBeLessThanOrEqual(1);
    }
    console.log(
      `[float16] pack2x16float vs core's float32ToFloat16Bits: ${differ}/${values.length} values differ ` +
        '(by 1 ulp at most)',
    );
  });

  const shaderF16Title =
    'runs a shader-f16 kernel where the device has the feature, and refuses it with a named error where not';
  it(shaderF16Title, async (t) => {
    registerKernel({
      name: 'half-math',
      wgsl: /* wgsl */ `enable f16;
        @group(0) @binding(0) var<storage, read> src: array<f32>;
        @group(0) @binding(1) var<storage, read_write> dst: array<f32>;
        @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
          if (g.x < arrayLength(&dst)) { dst[g.x] = f32(f16(src[g.x]) * 2.0h); }
        }`,
      bindings: 2,
      workgroups: ([s]) => [Math.ceil(s!.size / 64)],
    });
    if (!ctx.features.has('shader-f16')) {
      await expect(ctx.compileKernel('half-math')).rejects.toThrow(WgslCompileError);
      console.log(`[shader-f16] skipped the f16 arithmetic check: ${dev.info.name} has no 'shader-f16' feature`);
      t.skip();
      return;
    }
    await ctx.compileKernel('half-math');
    using s = dev.tensor(Float32Array.of(0.5, 1.25, -3, 1000), [1, 1, 4]);
    using d = dev.empty('float32', [1, 1, 4]);
    ctx.runCustom('half-math', [s], [d]);
    expect([...((await d.data()) as Float32Array)]).toEqual([1, 2.5, -6, 2000]);
  });
});

describe.skipIf(!hasDevice)('a lost device', () => {
  it('is reported, refuses further work with a named error, and a new context can be opened', async () => {
    const dev = await openDevice('webgpu', { discover: false });
    const ctx = webgpuContext(dev);
    const img = testImage(16, 16, 3);
    const t = dev.tensor(img.data, img.shape);
    const g = grayscale(t);
    ctx.gpuDevice.destroy(); // what a driver reset looks like to WebGPU
    const lost = await ctx.lost;
    expect(lost.reason).toBe('destroyed');
    expect(ctx.lostInfo).toEqual(lost);
    const code = 'ERR_OCELLUS_WEBGPU_DEVICE_LOST';
    expect(() => grayscale(t)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(/was lost.*open a new one/) }),
    );
    await expect(g.data()).rejects.toMatchObject({ code });
    await expect(dev.sync()).rejects.toMatchObject({ code });
    expect(() => dev.tensor(img.data, img.shape)).toThrow(expect.objectContaining({ code }));
    await dev.close(); // still closes cleanly, freeing everything
    await using again = await openDevice('webgpu', { discover: false });
    using t2 = again.tensor(img.data, img.shape);
    expect((await grayscale(t2).data()).length).toBe(16 * 16);
  });
});
