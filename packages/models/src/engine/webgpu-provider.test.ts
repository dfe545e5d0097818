import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SWIFTSHADER_ICD, backend as webgpuBackend, swiftShaderEnv } from '@ocellus/backend-webgpu';
import { registerBackend } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../architectures/index.js';
import { createOcr } from '../ocr/ocr.js';
import { type Classifier, createClassifier } from '../pipelines/classifier.js';
import { OrtSessionPool } from './session-pool.js';
import { affineModel } from './tiny-onnx.js';

// Dawn (inside onnxruntime's WebGPU provider and inside @ocellus/backend-webgpu) needs a Vulkan driver;
// on a machine without a GPU that is SwiftShader from Debian's chromium-common. It is read when the
// first WebGPU instance is made, so it is set before any session exists (this file runs in its own process).
const missing = existsSync(SWIFTSHADER_ICD)
  ? undefined
  : `no WebGPU adapter here: apt-get install chromium-common (for ${SWIFTSHADER_ICD})`;
Object.assign(process.env, swiftShaderEnv());
const note = missing ? ` [skipped: ${missing}]` : '';

describe("onnxruntime's WebGPU execution provider through the webgpu backend", () => {
  it.skipIf(missing)(`serves a session on webgpu without falling back${note}`, async () => {
    const pool = await OrtSessionPool.create(affineModel(), { executionProvider: 'webgpu', threadsPerSession: 1 });
    try {
      expect(pool.provider).toEqual({ name: 'webgpu', requested: 'webgpu' });
      const y = await pool.run({ x: { data: new Float32Array([0, 1, 2, 3, -4, 0.5, 100, 7]), dims: [2, 4] } });
      expect(Array.from(y.y!.data as Float32Array)).toEqual([1, 3, 5, 7, -7, 2, 201, 15]);
    } finally {
      await pool.dispose();
    }
  });

  const webgpuClassifierTitle =
    'a classifier on the webgpu backend: pre-processing on the WebGPU device, the model on the WebGPU provider';
  describe(webgpuClassifierTitle, () => {
    let gpu: Classifier;
    let cpu: Classifier;
    beforeAll(async () => {
      if (missing) return;
      registerBackend(webgpuBackend);
      const { bytes } = await exportModel('mobilenetv3', { seed: 3 });
      gpu = createClassifier({ model: 'mobilenetv3', weights: bytes, backend: 'webgpu', sessions: 1 });
      cpu = createClassifier({ model: 'mobilenetv3', weights: bytes, backend: 'cpu', sessions: 1 });
      await Promise.all([gpu.load(), cpu.load()]);
    });
    afterAll(async () => {
      await Promise.all([gpu?.dispose(), cpu?.dispose()]);
    });

    it.skipIf(missing)(`gives the CPU's top-5 on a real photo${note}`, async () => {
      expect(gpu.provider).toEqual({ name: 'webgpu', requested: 'webgpu' });
      expect(gpu.device?.backend).toBe('webgpu');
      // ../shared/images beside the repository (never copied into it)
      const photo = fileURLToPath(new URL('../../../../../shared/images/dog.jpg', import.meta.url));
      const [a, b] = [await gpu.run(photo), await cpu.run(photo)];
      expect(a.top.map((t) => t.index)).toEqual(b.top.map((t) => t.index));
      for (const [i, t] of a.top.entries()) expect(Math.abs(t.score - b.top[i]!.score)).toBeLessThan(1e-3);
    });
  });

  it.skipIf(missing)(
    `three sessions on the webgpu provider run at once without crashing (serialised)${note}`,
    async () => {
      // unserialised, two or three of these in worker threads crashed the process (SIGSEGV in Dawn) or
      // answered std::bad_alloc, nearly every time
      const { bytes } = await exportModel('mobilenetv3', { seed: 1 });
      const gpu = await Promise.all(
        [0, 1, 2].map(() => OrtSessionPool.create(bytes, { executionProvider: 'webgpu', threadsPerSession: 1 })),
      );
      const cpu = await OrtSessionPool.create(bytes, { threadsPerSession: 1 });
      try {
        const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i) * 2);
        const feed = () => ({ input: { data: input.slice(), dims: [1, 3, 224, 224] } });
        const want = (await cpu.run(feed())).logits!.data;
        for (let round = 0; round < 2; round++) {
          const outs = await Promise.all(gpu.map((p) => p.run(feed())));
          for (const out of outs) {
            const worst = out.logits!.data.reduce((w, v, i) => Math.max(w, Math.abs(v - want[i]!)), 0);
            expect(worst).toBeLessThan(1e-3);
          }
        }
        for (const p of gpu) expect(p.provider.name).toBe('webgpu');
      } finally {
        await Promise.all([...gpu, cpu].map((p) => p.dispose()));
      }
    },
  );

  it.skipIf(missing)(`OCR on the webgpu backend reads a page: models on cpu, the reason said${note}`, async () => {
    registerBackend(webgpuBackend);
    const page = fileURLToPath(new URL('../../../../../shared/images/opencv_imageTextN.png', import.meta.url));
    const gpu = createOcr({ backend: 'webgpu', sessions: 1 });
    const cpu = createOcr({ backend: 'cpu', sessions: 1 });
    try {
      const [a, b] = [await gpu.run(page), await cpu.run(page)];
      expect(gpu.provider?.name).toBe('cpu');
      expect(gpu.provider?.requested).toBe('webgpu');
      expect(gpu.provider?.fallbackReason).toMatch(/CPU-emulated adapter.*using cpu/);
      expect(a.lines.map((l) => l.text)).toEqual(b.lines.map((l) => l.text));
      expect(a.lines.length).toBeGreaterThan(10);
    } finally {
      await Promise.all([gpu.dispose(), cpu.dispose()]);
    }
  });
});
