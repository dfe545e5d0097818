/**
 * torchvision's building blocks as ONNX nodes. Every initializer is named exactly like the key of the
 * same tensor in torchvision's state_dict (`layer1.0.conv1.weight`, `features.4.block.2.fc1.bias`), so
 * scripts/torchvision_reference.py can load our weights by name into torchvision's own model and compare
 * logits. BatchNormalization stays a node (not folded into the conv) for the same reason, and so that the
 * parameter count is torchvision's `sum(p.numel() for p in model.parameters())`: BN weight and bias are
 * parameters, running_mean/var are buffers (trainable=false).
 *
 * Seeded weights are chosen to keep activations near unit scale through a deep net (He-normal on fan_in,
 * BN close to identity), so architecture-only models give finite logits that differ between images.
 */
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { fillNormal, fillUniform, type SeededRandom } from './random.js';

/** What every helper needs: the graph being built and the seeded generator of its weights. */
export interface LayerContext {
  readonly g: GraphBuilder;
  readonly rng: SeededRandom;
}

/** The metadata every architecture-only model carries, so no output can pass for a trained model. */
export const ARCHITECTURE_ONLY_NOTE =
  'architecture-only: seeded random weights, not trained; predictions are meaningless';

export function labelArchitectureOnly(g: GraphBuilder, model: string, seed: number): void {
  g.setMetadata('ocellus.model', model);
  g.setMetadata('ocellus.weights', 'architecture-only');
  g.setMetadata('ocellus.seed', String(seed));
  g.setMetadata('ocellus.note', ARCHITECTURE_ONLY_NOTE);
}

/** torchvision's `_make_divisible`: round to a multiple of `divisor`, never below 90% of `v`. */
export function makeDivisible(v: number, divisor: number, minValue: number = divisor): number {
  let n = Math.max(minValue, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

export interface Conv2dOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  /** Defaults to (kernel - 1) / 2, torchvision's "same" padding for odd kernels. */
  readonly padding?: number;
  readonly groups?: number;
  readonly bias?: boolean;
  /** He gain for what feeds this conv (see heGain); default 1, for an input that is not rectified. */
  readonly gain?: number;
}

/** nn.Conv2d: `${prefix}.weight` [out, in/groups, k, k] (+ `${prefix}.bias`). */
export function conv2d(ctx: LayerContext, x: string, prefix: string, o: Conv2dOptions): string {
  const { g, rng } = ctx;
  const groups = o.groups ?? 1;
  const stride = o.stride ?? 1;
  const pad = o.padding ?? Math.floor((o.kernel - 1) / 2);
  const fanIn = (o.inChannels / groups) * o.kernel * o.kernel;
  const dims = [o.outChannels, o.inChannels / groups, o.kernel, o.kernel];
  const w = g.addInitializer(
    `${prefix}.weight`,
    fillNormal(rng, dims[0] * dims[1] * dims[2] * dims[3], (o.gain ?? 1) / Math.sqrt(fanIn)),
    dims,
  );
  const inputs = [x, w];
  if (o.bias) inputs.push(g.addInitializer(`${prefix}.bias`, fillNormal(rng, o.outChannels, 0.01), [o.outChannels]));
  const attrs = {
    kernel_shape: { ints: [o.kernel, o.kernel] },
    strides: { ints: [stride, stride] },
    pads: { ints: [pad, pad, pad, pad] },
    dilations: { ints: [1, 1] },
    group: { int: groups },
  };
  return g.addNode('Conv', inputs, 1, attrs, prefix)[0];
}

export interface BatchNormOptions {
  /** torchvision: 1e-5 for ResNet (nn.BatchNorm2d default), 1e-3 for MobileNetV3. */
  readonly eps: number;
  /** Mean of the seeded gamma: below 1 for the last BN of a residual branch, so the sum stays near unit scale. */
  readonly gamma?: number;
}

/**
 * nn.BatchNorm2d in eval mode: weight/bias are parameters, running_mean/var buffers. The seeded stats are
 * deliberately not 0/1, so the comparison with torchvision checks that eps, mean and var are applied the
 * same way, not only that an identity BN is an identity.
 */
export function batchNorm2d(
  ctx: LayerContext,
  x: string,
  prefix: string,
  channels: number,
  o: BatchNormOptions,
): string {
  const { g, rng } = ctx;
  const gamma = o.gamma ?? 1;
  const scale = g.addInitializer(`${prefix}.weight`, fillNormal(rng, channels, 0.1 * gamma, gamma), [channels]);
  const bias = g.addInitializer(`${prefix}.bias`, fillNormal(rng, channels, 0.05), [channels]);
  const mean = g.addInitializer(`${prefix}.running_mean`, fillNormal(rng, channels, 0.05), [channels], {
    trainable: false,
  });
  const variance = g.addInitializer(`${prefix}.running_var`, fillUniform(rng, channels, 0.8, 1.25), [channels], {
    trainable: false,
  });
  return g.addNode('BatchNormalization', [x, scale, bias, mean, variance], 1, { epsilon: { float: o.eps } }, prefix)[0];
}

export type Activation = 'relu' | 'hardswish' | 'none';

/**
 * He gain for weights whose input came out of `input`: 1/sqrt(E[act(z)^2]) for z ~ N(0, 1), so that
 * std(w) = gain / sqrt(fan_in) keeps the next pre-activation near unit variance. E[relu(z)^2] = 1/2,
 * E[hardswish(z)^2] ~= 1/3 (z(z+3)/6 near 0: (3 + 9) / 36).
 */
export function heGain(input: Activation): number {
  return input === 'relu' ? Math.SQRT2 : input === 'hardswish' ? Math.sqrt(3) : 1;
}

export function activation(ctx: LayerContext, x: string, kind: Activation, name: string): string {
  if (kind === 'none') return x;
  // ONNX HardSwish is x * max(0, min(1, x/6 + 1/2)): exactly torch's Hardswish.
  return ctx.g.addNode(kind === 'relu' ? 'Relu' : 'HardSwish', [x], 1, undefined, name)[0];
}

/** torch.nn.Hardsigmoid is relu6(x + 3) / 6: ONNX HardSigmoid with alpha 1/6 (its default is 0.2). */
export function hardsigmoid(ctx: LayerContext, x: string, name: string): string {
  return ctx.g.addNode('HardSigmoid', [x], 1, { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }, name)[0];
}

export interface ConvNormActivationOptions extends Omit<Conv2dOptions, 'bias'> {
  readonly activation: Activation;
  readonly eps: number;
  readonly gamma?: number;
}

/** torchvision.ops.Conv2dNormActivation: `${prefix}.0` conv (no bias), `${prefix}.1` BN, then the activation. */
export function conv2dNormActivation(
  ctx: LayerContext,
  x: string,
  prefix: string,
  o: ConvNormActivationOptions,
): string {
  const y = conv2d(ctx, x, `${prefix}.0`, { ...o, bias: false });
  const z = batchNorm2d(ctx, y, `${prefix}.1`, o.outChannels, { eps: o.eps, gamma: o.gamma });
  return activation(ctx, z, o.activation, `${prefix}.2`);
}

/**
 * torchvision.ops.SqueezeExcitation as MobileNetV3 uses it: avgpool -> fc1 (1x1 conv) -> ReLU -> fc2 ->
 * Hardsigmoid, and the input scaled by the result per channel.
 */
export function squeezeExcitation(
  ctx: LayerContext,
  x: string,
  prefix: string,
  channels: number,
  squeezeChannels: number,
): string {
  const { g } = ctx;
  const pooled = g.addNode('GlobalAveragePool', [x], 1, undefined, `${prefix}.avgpool`)[0];
  const s1 = conv2d(ctx, pooled, `${prefix}.fc1`, {
    inChannels: channels,
    outChannels: squeezeChannels,
    kernel: 1,
    bias: true,
    gain: Math.SQRT2,
  });
  const a = activation(ctx, s1, 'relu', `${prefix}.activation`);
  const s2 = conv2d(ctx, a, `${prefix}.fc2`, {
    inChannels: squeezeChannels,
    outChannels: channels,
    kernel: 1,
    bias: true,
    gain: Math.SQRT2,
  });
  const scale = hardsigmoid(ctx, s2, `${prefix}.scale_activation`);
  return g.addNode('Mul', [x, scale], 1, undefined, `${prefix}.mul`)[0];
}

/**
 * nn.Linear: `${prefix}.weight` [out, in], `${prefix}.bias` [out]; Gemm with transB, as torch stores the
 * weight. `output` names the result (e.g. the graph's 'logits').
 */
export function linear(
  ctx: LayerContext,
  x: string,
  prefix: string,
  inFeatures: number,
  outFeatures: number,
  o: { gain?: number; output?: string } = {},
): string {
  const { g, rng } = ctx;
  const std = (o.gain ?? 1) / Math.sqrt(inFeatures);
  const w = g.addInitializer(`${prefix}.weight`, fillNormal(rng, outFeatures * inFeatures, std), [
    outFeatures,
    inFeatures,
  ]);
  const b = g.addInitializer(`${prefix}.bias`, fillNormal(rng, outFeatures, 0.01), [outFeatures]);
  return g.addNode('Gemm', [x, w, b], o.output ? [o.output] : 1, { transB: { int: 1 } }, prefix)[0];
}

/** AdaptiveAvgPool2d(1) + torch.flatten(x, 1): [N, C, H, W] -> [N, C]. */
export function globalAvgPoolFlatten(ctx: LayerContext, x: string, name: string): string {
  const pooled = ctx.g.addNode('GlobalAveragePool', [x], 1, undefined, name)[0];
  return ctx.g.addNode('Flatten', [pooled], 1, { axis: { int: 1 } }, `${name}.flatten`)[0];
}
