import { GraphBuilder, countFlops } from '@ocellus/models';
import * as ort from 'onnxruntime-node';
import type { PeakFlops } from './bench-results.js';

/**
 * The machine's peak float32 FLOP/s as onnxruntime-node reaches it: one MatMul of two n x n matrices
 * (2 n^3 FLOPs) built with GraphBuilder, run in this process on the cpu EP with `threads` intra-op
 * threads; the best of `runs` timed runs after 2 warm-up runs. An achievable peak (MLAS's GEMM), not a
 * datasheet one: "% of peak" below 100% is work a model leaves on the table next to a pure GEMM.
 */
export async function measurePeakFlops(options: { threads: number; n?: number; runs?: number }): Promise<PeakFlops> {
  // 2048^3 x 2 = 17 GFLOP a run: long enough that MLAS reaches its steady rate and timer noise vanishes
  const n = options.n ?? 2048;
  const runs = options.runs ?? 10;
  const { bytes } = matmulModel(n);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const a = new Float32Array(n * n);
    for (let i = 0; i < a.length; i++) a[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
    const feeds = { a: new ort.Tensor('float32', a, [n, n]) };
    for (let i = 0; i < 2; i++) await session.run(feeds);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await session.run(feeds);
      best = Math.min(best, performance.now() - t);
    }
    return {
      flopsPerSecond: (2 * n ** 3) / (best / 1000),
      method:
        `onnxruntime-node cpu EP, one float32 MatMul ${n}x${n} x ${n}x${n} (GraphBuilder), ${options.threads}` +
        ` threads, best of ${runs} runs`,
      matmulSize: n,
      runs,
      bestMs: best,
    };
  } finally {
    await session.release();
  }
}

/** y = a x B, B a constant n x n initializer. */
export function matmulModel(n: number, batchDim: number | string = n): { bytes: Uint8Array; flopsPerRow: number } {
  const g = new GraphBuilder('matmul');
  g.addInput('a', [batchDim, n]);
  const b = new Float32Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = ((i * 40503) % 997) / 997 - 0.5;
  g.addInitializer('b', b, [n, n]);
  g.addNode('MatMul', ['a', 'b'], ['y']);
  g.addOutput('y', [batchDim, n]);
  return { bytes: g.toBytes(), flopsPerRow: 2 * n * n };
}

export type CountFlops = (bytes: Uint8Array) => { total: number; byOp: Record<string, number> };

/** FLOPs per image from the ONNX graph: @ocellus/models' countFlops. */
export function flopsCounter(): { count: CountFlops; source: string } {
  return { count: countFlops, source: '@ocellus/models countFlops' };
}
