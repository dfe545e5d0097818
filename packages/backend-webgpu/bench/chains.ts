/**
 * The image-op chains on WebGPU vs the CPU reference, in the same run: gray -> blur -> Canny, and
 * resize -> normalize (ImageNet), on a synthetic 1280x720 RGB frame. Upload, kernels and download are
 * timed separately (each phase ends with a sync), and the CPU/WebGPU ratios printed.
 * Run: pnpm --filter @ocellus/backend-webgpu bench   (BENCH_SIZE=1920x1080 BENCH_ITERS=10 to change)
 * Needs an adapter: on a machine without a GPU, VK_ADD_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json
 * (SwiftShader is the CPU pretending to be a GPU: its figures say little about a real GPU).
 */
import { type Device, type HostTensor, type Tensor, canny, gaussianBlur, grayscale, normalize, openDevice, registerBackend, resize, testImage } from '@ocellus/core';
import { backend, probeWebGpu } from '../src/index.js';

const [W, H] = (process.env.BENCH_SIZE ?? '1280x720').split('x').map(Number) as [number, number];
const ITERS = Number(process.env.BENCH_ITERS ?? 5);

type Phase = { upload: number; kernels: number; download: number };
type Chain = { name: string; run(t: Tensor): Tensor };

const chains: Chain[] = [
  { name: 'gray -> blur 5x5 -> Canny', run: (t) => canny(gaussianBlur(grayscale(t), { ksize: 5 }), { low: 50, high: 150 }) },
  {
    name: 'resize 224x224 -> normalize',
    run: (t) => normalize(resize(t, { width: 224, height: 224 }), { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
  },
];

async function time(device: Device, chain: Chain, image: HostTensor): Promise<Phase> {
  const total: Phase = { upload: 0, kernels: 0, download: 0 };
  for (let i = -1; i < ITERS; i++) {
    const t0 = performance.now();
    const input = device.tensor(image.data, image.shape);
    await device.sync();
    const t1 = performance.now();
    const out = chain.run(input);
    await device.sync();
    const t2 = performance.now();
    await out.data();
    const t3 = performance.now();
    if (i >= 0) {
      total.upload += t1 - t0;
      total.kernels += t2 - t1;
      total.download += t3 - t2;
    }
    for (const t of [input, out]) t.dispose();
  }
  return { upload: total.upload / ITERS, kernels: total.kernels / ITERS, download: total.download / ITERS };
}

registerBackend(backend, { priority: 150 });
const probe = await probeWebGpu();
if (!probe.devices.length) {
  console.log(`no WebGPU adapter: ${probe.reason}`);
  process.exit(0);
}
const gpu = await openDevice('webgpu', { discover: false });
const cpu = await openDevice('cpu', { discover: false });
const image = testImage(H, W, 3, 7);
console.log(`${W}x${H} RGB, ${ITERS} iterations after one warm-up; webgpu = ${gpu.info.name}`);
const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(11);
for (const chain of chains) {
  const g = await time(gpu, chain, image);
  const c = await time(cpu, chain, image);
  console.log(`\n${chain.name}`);
  console.log('  phase       webgpu        cpu   cpu/webgpu');
  for (const k of ['upload', 'kernels', 'download'] as const) {
    console.log(`  ${k.padEnd(8)} ${fmt(g[k])} ${fmt(c[k])}   ${(c[k] / g[k]).toFixed(2)}x`);
  }
  const gt = g.upload + g.kernels + g.download;
  const ct = c.upload + c.kernels + c.download;
  console.log(`  total    ${fmt(gt)} ${fmt(ct)}   ${(ct / gt).toFixed(2)}x`);
}
const m = gpu.memory();
console.log(`\nwebgpu copies: ${m.uploads} uploads (${m.uploadBytes} B), ${m.downloads} downloads (${m.downloadBytes} B), ${m.kernelRuns} kernel runs`);
await gpu.close();
await cpu.close();
