import { describe, expect, it } from 'vitest';
import { exportModel } from '../architectures/index.js';
import { countFlops } from './flops.js';
import { GraphBuilder } from './graph-builder.js';

/**
 * The published figures, and their conventions:
 *   - torchvision's model docs give "GFLOPS" 4.09 (resnet50) and 0.22 (mobilenet_v3_large), measured with
 *     fvcore, which counts one multiply-add as one flop: they are GMACs. Ours are 2 FLOPs per multiply-add,
 *     so the comparison is with 2 x those: 8.18 and 0.44 GFLOPs.
 *   - Ultralytics' 28.6 GFLOPs for YOLOv8s at 640 is thop's MACs x 2 (14.3 GMACs): the same convention as ours.
 * The multiply-adds (Conv + Gemm) are compared on their own, and the total, which adds BatchNormalization,
 * activations, residual adds and pooling (under 2% of any of the three), is compared too.
 */
const PUBLISHED_FLOPS = {
  resnet50: 2 * 4.09e9,
  mobilenetv3: 2 * 0.22e9,
  yolov8s: 28.6e9,
} as const;

function expectWithin(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('countFlops on the exported models', () => {
  it.each(Object.entries(PUBLISHED_FLOPS))(
    '%s is within 3%% of the published %d FLOPs (2 per multiply-add)',
    async (name, published) => {
      const { bytes } = await exportModel(name as keyof typeof PUBLISHED_FLOPS);
      const count = countFlops(bytes);
      const multiplyAdds = (count.byOp.Conv ?? 0) + (count.byOp.Gemm ?? 0);
      expectWithin(multiplyAdds, published, 0.03);
      expectWithin(count.total, published, 0.03);
      expect(count.total).toBeGreaterThan(multiplyAdds);
      expect(count.total).toBeCloseTo(
        Object.values(count.byOp).reduce((s, v) => s + v, 0),
        -3,
      );
      // Every op of our writer is known: nothing left uncounted.
      expect(count.note).not.toMatch(/not counted/);
      expect(count.note).toContain('multiply-add = 2 FLOPs');
      // batch scales everything linearly.
      expect(countFlops(bytes, { batch: 4 }).total).toBeCloseTo(4 * count.total, -3);
    },
  );

  it('ResNet-50 in detail: the conv MACs torchvision counts, the fc layer, the pools', async () => {
    const count = countFlops((await exportModel('resnet50')).bytes);
    // fc: 2048 x 1000 multiply-adds plus 1000 bias adds.
    expect(count.byOp.Gemm).toBe(2 * 2048 * 1000 + 1000);
    // conv1: 64 x 112 x 112 outputs of 3 x 7 x 7 multiply-adds each is the first of ~4.09 G MACs.
    expect(count.byOp.Conv).toBeGreaterThan(2 * 64 * 112 * 112 * 147);
    expectWithin(count.byOp.Conv! / 2, 4.09e9 - 2048 * 1000, 0.01);
    expect(count.byOp.MaxPool).toBe(64 * 56 * 56 * 9);
    expect(count.byOp.GlobalAveragePool).toBe(2048 * 7 * 7);
  });
});

describe('countFlops shape inference', () => {
  it('Conv with groups, strides, pads and dilations; Gemm after Flatten', () => {
    const g = new GraphBuilder('t');
    const x = g.addInput('x', ['n', 8, 17, 17]);
    const w = g.addInitializer('w', new Float32Array(16 * 4 * 3 * 3), [16, 4, 3, 3]);
    const b = g.addInitializer('b', new Float32Array(16), [16]);
    // (17 + 2 + 2 - (2 * 2 + 1)) / 2 + 1 = 9
    const [c] = g.addNode('Conv', [x, w, b], 1, {
      group: { int: 2 },
      strides: { ints: [2, 2] },
      pads: { ints: [2, 2, 2, 2] },
      dilations: { ints: [2, 2] },
    });
    const [r] = g.addNode('Relu', [c], 1);
    const [f] = g.addNode('Flatten', [r], 1, { axis: { int: 1 } });
    const fw = g.addInitializer('fw', new Float32Array(10 * 16 * 81), [10, 16 * 81]);
    g.addNode('Gemm', [f, fw], ['y'], { transB: { int: 1 } });
    g.addOutput('y', ['n', 10]);
    const count = countFlops(g.toBytes(), { batch: 3 });
    const convOut = 3 * 16 * 9 * 9;
    expect(count.byOp).toEqual({
      Conv: 2 * convOut * 4 * 9 + convOut,
      Relu: convOut,
      Gemm: 2 * 3 * 10 * 16 * 81,
    });
    expect(count.total).toBe(2 * convOut * 36 + 2 * convOut + 2 * 3 * 10 * 1296);
    expect(count.note).toMatch(/^batch 3; /);
  });

  it('Reshape targets computed from Shape/Gather/Concat, then a batched MatMul; depthwise and auto_pad convs', () => {
    const g = new GraphBuilder('t');
    const x = g.addInput('x', [2, 6, 4, 4]);
    const dw = g.addInitializer('dw', new Float32Array(6 * 9), [6, 1, 3, 3]);
    const [c] = g.addNode('Conv', [x, dw], 1, {
      group: { int: 6 },
      auto_pad: { string: 'SAME_UPPER' },
      kernel_shape: { ints: [3, 3] },
    });
    const [shape] = g.addNode('Shape', [c], 1);
    const zero = g.addInitializer('zero', new BigInt64Array([0n]), [1], { trainable: false });
    const [n] = g.addNode('Gather', [shape, zero], 1, { axis: { int: 0 } });
    const rest = g.addInitializer('rest', new BigInt64Array([6n, -1n]), [2], { trainable: false });
    const [target] = g.addNode('Concat', [n, rest], 1, { axis: { int: 0 } });
    const [r] = g.addNode('Reshape', [c, target], 1); // [2, 6, 16]
    const [t] = g.addNode('Transpose', [r], 1, { perm: { ints: [0, 2, 1] } }); // [2, 16, 6]
    g.addNode('MatMul', [r, t], ['y']); // [2, 6, 6]: 2 x 6 x 6 x 16 multiply-adds
    g.addOutput('y', [2, 6, 6]);
    const count = countFlops(g.toBytes());
    expect(count.byOp).toEqual({ Conv: 2 * (2 * 6 * 4 * 4) * 9, MatMul: 2 * 2 * 6 * 6 * 16 });
    expect(count.note).not.toMatch(/not counted/);
  });

  it('elementwise ops with broadcasting, BN, pools, nearest Resize and Softmax', () => {
    const g = new GraphBuilder('t');
    const x = g.addInput('x', [1, 4, 8, 8]);
    const s = g.addInitializer('s', new Float32Array(4), [4], { trainable: false });
    const [bn] = g.addNode('BatchNormalization', [x, s, s, s, s], 1);
    const scale = g.addInitializer('scale', new Float32Array(4), [1, 4, 1, 1]);
    const [m] = g.addNode('Mul', [bn, scale], 1);
    const [hs] = g.addNode('HardSwish', [m], 1);
    // [1,4,4,4]
    const [p] = g.addNode('AveragePool', [hs], 1, { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } });
    const scales = g.addInitializer('scales', Float32Array.of(1, 1, 2, 2), [4], { trainable: false });
    const [up] = g.addNode('Resize', [p, '', scales], 1, { mode: { string: 'nearest' } }); // [1,4,8,8]
    const [sum] = g.addNode('Add', [up, hs], 1);
    const [gp] = g.addNode('GlobalAveragePool', [sum], 1);
    g.addNode('Softmax', [gp], ['y'], { axis: { int: 1 } });
    g.addOutput('y', [1, 4, 1, 1]);
    const count = countFlops(g.toBytes());
    expect(count.byOp).toEqual({
      BatchNormalization: 2 * 256,
      Mul: 256,
      HardSwish: 256,
      AveragePool: 64 * 4,
      Add: 256,
      GlobalAveragePool: 256,
      Softmax: 3 * 4,
    });
  });

  const unknownOpTitle =
    'an unknown op counts 0 and is named in the note; what follows it is counted from the declared shapes when ' +
    'there are any';
  it(unknownOpTitle, () => {
    const g = new GraphBuilder('t');
    const x = g.addInput('x', [1, 3, 4, 4]);
    const [u] = g.addNode('MyCustomOp', [x], 1);
    const [r] = g.addNode('Relu', [u], 1);
    g.addNode('Sigmoid', [x], ['y']);
    g.addOutput('y', [1, 3, 4, 4]);
    g.addOutput(u, [1, 3, 4, 4]);
    g.addOutput(r, [1, 3, 4, 4]);
    const count = countFlops(g.toBytes());
    expect(count.byOp).toEqual({ Relu: 48, Sigmoid: 48 });
    expect(count.note).toContain('not counted (unknown ops, 0 FLOPs): MyCustomOp x1');
  });

  it('an unknown op whose output has no declared shape: its consumers are listed as not counted', () => {
    const g = new GraphBuilder('t');
    const x = g.addInput('x', [1, 3, 4, 4]);
    const [u] = g.addNode('MyCustomOp', [x], 1);
    g.addNode('Relu', [u], ['y']);
    g.addOutput('x_copy', [1, 3, 4, 4]);
    g.addNode('Identity', [x], ['x_copy']);
    const count = countFlops(g.toBytes());
    expect(count.total).toBe(0);
    expect(count.note).toContain('MyCustomOp x1');
    expect(count.note).toContain('not counted (input shapes unknown): Relu');
  });

  it('rejects a bad batch', async () => {
    const { bytes } = await exportModel('mobilenetv3');
    expect(() => countFlops(bytes, { batch: 0 })).toThrow(RangeError);
  });
});
