import { DisposedError } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseProvider, listSupportedBackends, ortVersion, shortOrtError } from './providers.js';
import {
  EngineOptionError,
  InferenceError,
  ModelLoadError,
  OrtSessionPool,
  WorkerCrashError,
  maxSessions,
  maxThreads,
} from './session-pool.js';
import { affineModel, slowModel } from './tiny-onnx.js';

const feed = (values: number[]) => ({ x: { data: new Float32Array(values), dims: [values.length / 4, 4] } });
const expected = (values: number[]) => values.map((v) => v * 2 + 1);

describe('OrtSessionPool', () => {
  let pool: OrtSessionPool;
  beforeAll(async () => {
    pool = await OrtSessionPool.create(affineModel(), { sessions: 2, threadsPerSession: 1, name: 'affine.onnx' });
  });
  afterAll(async () => {
    await pool.dispose();
  });

  it('reports its inputs, outputs and provider', () => {
    expect(pool.inputNames).toEqual(['x']);
    expect(pool.outputNames).toEqual(['y']);
    expect(pool.inputMetadata[0]).toMatchObject({ name: 'x', type: 'float32', shape: ['batch', 4] });
    expect(pool.provider).toEqual({ name: 'cpu', requested: 'cpu' });
    // the library changes no thread priority unasked
    expect(pool.niceness).toBe(0);
  });

  it('serves 4 concurrent runs on 2 sessions, each with its own result', async () => {
    const inputs = [0, 1, 2, 3].map((k) => Array.from({ length: 4 * (k + 1) }, (_, i) => k * 100 + i));
    const runs = inputs.map((v) => pool.run(feed(v)));
    expect(pool.busy).toBe(2);
    expect(pool.queued).toBe(2);
    const outs = await Promise.all(runs);
    outs.forEach((out, k) => {
      expect(out.y.dims).toEqual([k + 1, 4]);
      expect(Array.from(out.y.data)).toEqual(expected(inputs[k]));
    });
    expect(pool.busy + pool.queued).toBe(0);
  });

  it('runs a queue in FIFO order on one session', async () => {
    const one = await OrtSessionPool.create(affineModel(), { sessions: 1, threadsPerSession: 1 });
    try {
      const order: number[] = [];
      const runs = [0, 1, 2, 3].map((k) => one.run(feed([k, k, k, k])).then((o) => order.push(o.y.data[0])));
      await Promise.all(runs);
      expect(order).toEqual([1, 3, 5, 7]);
    } finally {
      await one.dispose();
    }
  });

  it('transfers the feed buffer (detached) and copies views of a larger buffer', async () => {
    const own = new Float32Array([1, 2, 3, 4]);
    const big = new Float32Array(12).fill(5);
    const view = big.subarray(4, 8);
    const [a, b] = await Promise.all([
      pool.run({ x: { data: own, dims: [1, 4] } }),
      pool.run({ x: { data: view, dims: [1, 4] } }),
    ]);
    expect(own.length).toBe(0);
    expect(big.length).toBe(12);
    expect(Array.from(a.y.data)).toEqual([3, 5, 7, 9]);
    expect(Array.from(b.y.data)).toEqual([11, 11, 11, 11]);
  });

  it('refuses bad feeds with InferenceError and keeps serving', async () => {
    await expect(pool.run({ z: { data: new Float32Array(4), dims: [1, 4] } })).rejects.toThrow(InferenceError);
    await expect(pool.run({ x: { data: new Float32Array(5), dims: [1, 4] } })).rejects.toThrow(
      /feed 'x' has 5 values but dims \[1,4\] need 4/,
    );
    await expect(pool.run({ x: { data: new Float32Array(6), dims: [1, 6] } })).rejects.toThrow(
      /feed 'x' has dims \[1,6\] but the model's input is \[batch,4\]/,
    );
    const out = await pool.run(feed([0, 0, 0, 0]));
    expect(Array.from(out.y.data)).toEqual([1, 1, 1, 1]);
  });

  it('rejects the request of a worker that dies with WorkerCrashError and replaces the worker', async () => {
    const p = await OrtSessionPool.create(slowModel(512, 8), { sessions: 1, threadsPerSession: 1, name: 'slow.onnx' });
    try {
      // about 0.5 G multiply-adds (tens of ms): still running when the kill lands
      const x = { x: { data: new Float32Array(256 * 512).fill(1), dims: [256, 512] } };
      const running = p.run(x);
      const queued = p.run({ x: { data: new Float32Array(512).fill(2), dims: [1, 512] } });
      expect(p.busy).toBe(1);
      await p._killWorker(0); // while the request is with the worker

      await expect(running).rejects.toThrow(WorkerCrashError);
      await expect(running).rejects.toThrow(/^'slow.onnx': the inference worker exited \(code \d+\) during the run/);
      // the queued request is served by the replacement worker
      const out = await queued;
      expect(out.y.data[0]).toBeCloseTo(2, 5);
      expect(p.broken).toBeUndefined();
    } finally {
      await p.dispose();
    }
  });

  it('a disposed pool refuses work with DisposedError; pending work rejects, nothing hangs', async () => {
    const p = await OrtSessionPool.create(affineModel(), { sessions: 1, threadsPerSession: 1, name: 'affine.onnx' });
    const pending = Promise.allSettled([p.run(feed([1, 2, 3, 4])), p.run(feed([1, 2, 3, 4]))]);
    await p.dispose();
    for (const r of await pending) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DisposedError);
    }
    await expect(p.run(feed([1, 2, 3, 4]))).rejects.toThrow(DisposedError);
    await expect(p.run(feed([1, 2, 3, 4]))).rejects.toThrow(/session pool of 'affine.onnx' is disposed/);
    await p.dispose(); // idempotent
  });

  it('refuses bytes onnxruntime cannot load with ModelLoadError naming the model', async () => {
    const error = await OrtSessionPool.create(new TextEncoder().encode('not a model at all'), {
      name: 'junk.onnx',
      threadsPerSession: 1,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/^'junk.onnx': onnxruntime could not create a session \(cpu\): /);
  });
});

describe('execution providers', () => {
  it('lists what onnxruntime-node says it supports', () => {
    const names = listSupportedBackends().map((b) => b.name);
    expect(names).toContain('cpu');
  });

  it('falls back from cuda and tensorrt to cpu with the reason', () => {
    const version = ortVersion();
    const cuda = chooseProvider('cuda');
    console.log(`[provider] cuda -> ${cuda.name}: ${cuda.fallbackReason ?? '(no fallback)'}`);
    const trt = chooseProvider('tensorrt');
    console.log(`[provider] tensorrt -> ${trt.name}: ${trt.fallbackReason ?? '(no fallback)'}`);
    // with no CUDA provider installed (this machine), both say so
    const listed = listSupportedBackends().find((b) => b.name === 'cuda');
    if (listed && !listed.bundled) {
      expect(cuda).toEqual({
        name: 'cpu',
        requested: 'cuda',
        fallbackReason: `cuda: onnxruntime-node ${version} ships no CUDA provider here (not bundled): using cpu`,
      });
      expect(trt.fallbackReason).toBe(
        `tensorrt: onnxruntime-node ${version} ships no TensorRT provider here (not bundled): using cpu`,
      );
    }
    expect(chooseProvider('cuda', [{ name: 'cpu', bundled: true }]).fallbackReason).toMatch(
      /^cuda: onnxruntime-node \S+ has no CUDA provider on \w+\/\w+ \(it supports cpu\): using cpu$/,
    );
    expect(chooseProvider('cuda', [{ name: 'cuda', bundled: true }])).toEqual({ name: 'cuda', requested: 'cuda' });
    expect(chooseProvider(undefined)).toEqual({ name: 'cpu', requested: 'cpu' });
  });

  it('hands feed buffers back for reuse and copies the next outputs into released ones', async () => {
    const p = await OrtSessionPool.create(affineModel(), { sessions: 1, threadsPerSession: 1 });
    try {
      const first = p.inputBuffer(8);
      first.set([0, 1, 2, 3, 4, 5, 6, 7]);
      const out1 = await p.run({ x: { data: first, dims: [2, 4] } });
      expect(first.length).toBe(0); // transferred to the worker
      const again = p.inputBuffer(8);
      expect(again.buffer.byteLength).toBe(32);
      expect(Array.from(again)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // the very buffer, back from the worker
      expect(p.inputBuffer(8).buffer).not.toBe(again.buffer); // a second one of that size is new
      const y1 = out1.y!.data;
      expect(Array.from(y1)).toEqual(expected([0, 1, 2, 3, 4, 5, 6, 7]));
      p.release(out1);
      again.set([7, 6, 5, 4, 3, 2, 1, 0]);
      const out2 = await p.run({ x: { data: again, dims: [2, 4] } });
      expect(y1.length).toBe(0); // the released output went back to the worker...
      expect(Array.from(out2.y!.data)).toEqual(expected([7, 6, 5, 4, 3, 2, 1, 0])); // ...and holds the new result
    } finally {
      await p.dispose();
    }
  });

  it('a pool whose cuda provider is missing runs on cpu and says why', async () => {
    const p = await OrtSessionPool.create(affineModel(), { executionProvider: 'cuda', threadsPerSession: 1 });
    try {
      expect(p.provider.name).toBe(chooseProvider('cuda').name);
      if (p.provider.name === 'cpu') expect(p.provider.fallbackReason).toMatch(/^cuda: .*: using cpu$/);
      expect(Array.from((await p.run(feed([0, 1, 2, 3]))).y.data)).toEqual([1, 3, 5, 7]);
    } finally {
      await p.dispose();
    }
  });

  it('a webgpu session that cannot be created falls back to cpu with the error as the reason', async () => {
    const p = await OrtSessionPool.create(affineModel(), { executionProvider: 'webgpu', threadsPerSession: 1 });
    try {
      console.log(`[provider] webgpu -> ${p.provider.name}: ${p.provider.fallbackReason ?? '(no fallback)'}`);
      if (p.provider.name === 'cpu') {
        expect(p.provider.fallbackReason).toMatch(/^webgpu: session creation failed \(.+\): using cpu$/);
      }
      expect(Array.from((await p.run(feed([0, 1, 2, 3]))).y.data)).toEqual([1, 3, 5, 7]);
    } finally {
      await p.dispose();
    }
  });

  it('shortens onnxruntime errors to the sentence that matters', () => {
    expect(
      shortOrtError(
        '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 ' +
          'onnxruntime::webgpu::WebGpuContext::Initialize(const ' +
          'onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == ' +
          'wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported ' +
          'adapters\n\n    at new X (/a.js:1:1)',
      ),
    ).toBe('Failed to get a WebGPU adapter: No supported adapters');
  });

  it("names a too-new opset and what to do, without onnxruntime's C++ signature", async () => {
    const error = await OrtSessionPool.create(affineModel(4, { opset: 99 }), {
      name: 'm.onnx',
      threadsPerSession: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(
      new RegExp(
        String.raw`^'m\.onnx': onnxruntime could not create a session \(cpu\): the model declares ONNX ` +
          String.raw`opset 99, newer than this onnxruntime supports \(up to \d+\): export it with opset \d+ ` +
          String.raw`or lower$`,
      ),
    );
    expect((error as Error).message).not.toMatch(/std::|onnxruntime::/);
    expect(shortOrtError('onnxruntime::a::B(const std::string&, int) Something went wrong.')).toBe(
      'Something went wrong.',
    );
  });
});

describe('OrtSessionPool options', () => {
  const limitsTitle =
    'refuses sessions and threads outside 1..the machine limit with EngineOptionError, before starting a worker';
  it(limitsTitle, async () => {
    for (const [options, pattern] of [
      [
        { threadsPerSession: 10000 },
        /threadsPerSession must be a whole number from 1 to \d+ on this machine .* got 10000/,
      ],
      [{ sessions: 16 * maxSessions() }, /sessions must be a whole number from 1 to \d+ .*each holds its own copy/],
      [{ sessions: 0 }, /sessions must be .* got 0/],
      [{ sessions: 1.5 }, /got 1\.5/],
      [{ threadsPerSession: Number.NaN }, /got NaN/],
    ] as const) {
      const error = await OrtSessionPool.create(affineModel(), options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineOptionError);
      expect((error as Error).message).toMatch(pattern);
    }
    expect(maxSessions(2)).toBe(4);
    expect(maxSessions(128)).toBe(64);
    expect(maxThreads(8)).toBe(8);
  });
});
