/**
 * Ultralytics' building blocks (ultralytics/nn/modules/conv.py and block.py) as ONNX nodes: Conv
 * (Conv2d-BN-SiLU), Bottleneck, C2f, SPPF and the plain biased Conv2d of the Detect head. Initializers
 * carry Ultralytics' state_dict names (`model.2.m.0.cv1.conv.weight`, `model.2.cv1.bn.running_mean`), so a
 * trained Ultralytics checkpoint maps onto this graph name for name. BatchNorm stays a separate node
 * (not folded into the conv) so those names and the unfused parameter count survive.
 */
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { fillNormal, fillUniform, type SeededRandom } from './random.js';

/** What every block needs: the graph to add to and the one random stream all weights come from. */
export interface LayerContext {
  readonly graph: GraphBuilder;
  readonly rng: SeededRandom;
}

/** Ultralytics builds every BatchNorm2d with eps=0.001 (momentum 0.03, training only). */
export const BN_EPS = 1e-3;

/**
 * Std of He-normal conv weights: sqrt(2 / fan_in). With near-unit running stats in eval-mode BN and
 * SiLU this keeps feature maps of a photo at std ~0.4-1.8 through the whole network (measured on a torch
 * copy); a gain of 1.7 already grows them a hundredfold by P5.
 */
function heStd(fanIn: number): number {
  return Math.SQRT2 / Math.sqrt(fanIn);
}

/** An int64 constant (Split sizes, Reshape shapes): not a parameter. */
export function int64Const(ctx: LayerContext, name: string, values: readonly number[]): string {
  return ctx.graph.addInitializer(
    name,
    BigInt64Array.from(values, (v) => BigInt(v)),
    [values.length],
    {
      trainable: false,
    },
  );
}

/** A float constant (anchors, strides, divisors): not a parameter. */
export function floatConst(ctx: LayerContext, name: string, data: Float32Array, dims: readonly number[]): string {
  return ctx.graph.addInitializer(name, data, dims, { trainable: false });
}

/** Tensor names after torch's export (`/model.2.cv1.conv/Conv_output_0`): unique per module path. */
export function out(path: string, op: string, index = 0): string {
  return `/${path}/${op}_output_${index}`;
}

function conv2dNode(
  ctx: LayerContext,
  x: string,
  weight: string,
  bias: string | undefined,
  path: string,
  k: number,
  s: number,
): string {
  const p = Math.floor(k / 2); // Ultralytics' autopad for odd k, dilation 1
  const y = out(path, 'Conv');
  ctx.graph.addNode(
    'Conv',
    bias === undefined ? [x, weight] : [x, weight, bias],
    [y],
    {
      kernel_shape: { ints: [k, k] },
      strides: { ints: [s, s] },
      pads: { ints: [p, p, p, p] },
      dilations: { ints: [1, 1] },
      group: { int: 1 },
    },
    `/${path}/Conv`,
  );
  return y;
}

/**
 * Ultralytics `Conv(c1, c2, k, s)`: Conv2d(bias=False) -> BatchNorm2d(eps 1e-3) -> SiLU. SiLU is written
 * as x * Sigmoid(x): ONNX has no SiLU op before opset 24, and this is what torch exports.
 */
export function convBnSilu(
  ctx: LayerContext,
  x: string,
  path: string,
  c1: number,
  c2: number,
  k: number,
  s = 1,
): string {
  const { graph, rng } = ctx;
  const fanIn = c1 * k * k;
  const w = graph.addInitializer(`${path}.conv.weight`, fillNormal(rng, c2 * fanIn, heStd(fanIn)), [c2, c1, k, k]);
  // BN affine near identity, running stats near (0, 1): a real BN with non-trivial values, so a wrong
  // name or input order in the BatchNormalization node would change the outputs.
  const gamma = graph.addInitializer(`${path}.bn.weight`, fillNormal(rng, c2, 0.1, 1), [c2]);
  const beta = graph.addInitializer(`${path}.bn.bias`, fillNormal(rng, c2, 0.1), [c2]);
  const mean = graph.addInitializer(`${path}.bn.running_mean`, fillNormal(rng, c2, 0.1), [c2], { trainable: false });
  const variance = graph.addInitializer(`${path}.bn.running_var`, fillUniform(rng, c2, 0.5, 1.5), [c2], {
    trainable: false,
  });
  const c = conv2dNode(ctx, x, w, undefined, `${path}.conv`, k, s);
  const b = out(`${path}.bn`, 'BatchNormalization');
  graph.addNode(
    'BatchNormalization',
    [c, gamma, beta, mean, variance],
    [b],
    { epsilon: { float: BN_EPS } },
    `/${path}/bn/BatchNormalization`,
  );
  const sig = out(`${path}.act`, 'Sigmoid');
  graph.addNode('Sigmoid', [b], [sig], {}, `/${path}/act/Sigmoid`);
  const y = out(`${path}.act`, 'Mul');
  graph.addNode('Mul', [b, sig], [y], {}, `/${path}/act/Mul`);
  return y;
}

/**
 * A plain `nn.Conv2d(c1, c2, k)` with bias: the last layer of each Detect branch. Weights are N(0, 1/fan_in)
 * (unit gain: these feed logits, not a SiLU); the bias is a constant, as Ultralytics' Detect.bias_init sets it.
 */
export function conv2dBiased(
  ctx: LayerContext,
  x: string,
  path: string,
  c1: number,
  c2: number,
  k: number,
  bias: number,
): string {
  const { graph, rng } = ctx;
  const fanIn = c1 * k * k;
  const w = graph.addInitializer(`${path}.weight`, fillNormal(rng, c2 * fanIn, 1 / Math.sqrt(fanIn)), [c2, c1, k, k]);
  const b = graph.addInitializer(`${path}.bias`, new Float32Array(c2).fill(bias), [c2]);
  return conv2dNode(ctx, x, w, b, path, k, 1);
}

/** Ultralytics `Bottleneck(c, c, shortcut, k=(3, 3), e=1.0)`: two 3x3 Convs, residual add when shortcut. */
function bottleneck(ctx: LayerContext, x: string, path: string, c: number, shortcut: boolean): string {
  const h = convBnSilu(ctx, x, `${path}.cv1`, c, c, 3);
  const y = convBnSilu(ctx, h, `${path}.cv2`, c, c, 3);
  if (!shortcut) return y;
  const sum = out(path, 'Add');
  ctx.graph.addNode('Add', [x, y], [sum], {}, `/${path}/Add`);
  return sum;
}

/**
 * Ultralytics `C2f(c1, c2, n, shortcut, e=0.5)`: cv1 (1x1 to 2c), split in two halves, n Bottlenecks
 * chained on the last half, every intermediate concatenated, cv2 (1x1 from (2+n)c to c2).
 */
export function c2f(
  ctx: LayerContext,
  x: string,
  path: string,
  c1: number,
  c2: number,
  n: number,
  shortcut: boolean,
): string {
  const c = Math.trunc(c2 * 0.5);
  const h = convBnSilu(ctx, x, `${path}.cv1`, c1, 2 * c, 1);
  const sizes = int64Const(ctx, `/${path}/Split_sizes`, [c, c]);
  const parts = [out(path, 'Split'), out(path, 'Split', 1)];
  ctx.graph.addNode('Split', [h, sizes], parts, { axis: { int: 1 } }, `/${path}/Split`);
  for (let i = 0; i < n; i++) parts.push(bottleneck(ctx, parts[parts.length - 1], `${path}.m.${i}`, c, shortcut));
  const cat = out(path, 'Concat');
  ctx.graph.addNode('Concat', parts, [cat], { axis: { int: 1 } }, `/${path}/Concat`);
  return convBnSilu(ctx, cat, `${path}.cv2`, (2 + n) * c, c2, 1);
}

/**
 * Ultralytics `SPPF(c1, c2, k)`: cv1 halves the channels, three chained k x k max-pools (stride 1,
 * same padding: equal to SPP's 5/9/13 pools, cheaper), concat of the four, cv2 to c2.
 */
export function sppf(ctx: LayerContext, x: string, path: string, c1: number, c2: number, k: number): string {
  const c = Math.trunc(c1 / 2);
  const parts = [convBnSilu(ctx, x, `${path}.cv1`, c1, c, 1)];
  const p = Math.floor(k / 2);
  for (let i = 0; i < 3; i++) {
    const y = out(`${path}.m`, i === 0 ? 'MaxPool' : `MaxPool_${i}`);
    ctx.graph.addNode(
      'MaxPool',
      [parts[parts.length - 1]],
      [y],
      {
        kernel_shape: { ints: [k, k] },
        strides: { ints: [1, 1] },
        pads: { ints: [p, p, p, p] },
        dilations: { ints: [1, 1] },
      },
      `/${path}/m/MaxPool${i === 0 ? '' : `_${i}`}`,
    );
    parts.push(y);
  }
  const cat = out(path, 'Concat');
  ctx.graph.addNode('Concat', parts, [cat], { axis: { int: 1 } }, `/${path}/Concat`);
  return convBnSilu(ctx, cat, `${path}.cv2`, c * 4, c2, 1);
}
