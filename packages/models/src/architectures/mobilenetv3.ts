/**
 * MobileNetV3-Large exactly as torchvision.models.mobilenet_v3_large builds it (width 1.0, no dilation),
 * with seeded architecture-only weights: 5,483,032 parameters, torchvision's state_dict names.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import { SeededRandom } from './random.js';
import {
  type Activation,
  conv2dNormActivation,
  globalAvgPoolFlatten,
  heGain,
  type LayerContext,
  labelArchitectureOnly,
  linear,
  makeDivisible,
  squeezeExcitation,
} from './torchvision-layers.js';

const BN_EPS = 0.001; // torchvision: partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
/** gamma of the projection BN of blocks with a residual: keeps the sums near unit scale (see resnet50.ts). */
const RESIDUAL_GAMMA = 0.3;
/** The SE gate is Hardsigmoid of a small pre-activation, about 1/2: the projection after it makes up for that. */
const SE_GATE_GAIN = 2;

/** torchvision's InvertedResidualConfig rows: input, kernel, expanded, output, SE, activation, stride. */
type Bneck = readonly [number, number, number, number, boolean, Activation, number];

/** torchvision _mobilenet_v3_conf('mobilenet_v3_large'), width_mult 1.0, dilation 1. */
const LARGE: readonly Bneck[] = [
  [16, 3, 16, 16, false, 'relu', 1],
  [16, 3, 64, 24, false, 'relu', 2],
  [24, 3, 72, 24, false, 'relu', 1],
  [24, 5, 72, 40, true, 'relu', 2],
  [40, 5, 120, 40, true, 'relu', 1],
  [40, 5, 120, 40, true, 'relu', 1],
  [40, 3, 240, 80, false, 'hardswish', 2],
  [80, 3, 200, 80, false, 'hardswish', 1],
  [80, 3, 184, 80, false, 'hardswish', 1],
  [80, 3, 184, 80, false, 'hardswish', 1],
  [80, 3, 480, 112, true, 'hardswish', 1],
  [112, 3, 672, 112, true, 'hardswish', 1],
  [112, 5, 672, 160, true, 'hardswish', 2],
  [160, 5, 960, 160, true, 'hardswish', 1],
  [160, 5, 960, 160, true, 'hardswish', 1],
];
const LAST_CHANNEL = 1280;

/** torchvision InvertedResidual: [expand 1x1] -> depthwise kxk -> [SE] -> project 1x1, + input when shapes allow. */
function invertedResidual(ctx: LayerContext, x: string, prefix: string, c: Bneck, inputActivation: Activation): string {
  const [input, kernel, expanded, output, useSE, act, stride] = c;
  const residual = stride === 1 && input === output;
  // Sub-module indices follow torchvision's nn.Sequential: they shift when there is no expand conv.
  let i = 0;
  let y = x;
  if (expanded !== input) {
    y = conv2dNormActivation(ctx, y, `${prefix}.block.${i++}`, {
      inChannels: input,
      outChannels: expanded,
      kernel: 1,
      activation: act,
      eps: BN_EPS,
      gain: heGain(inputActivation),
    });
  }
  y = conv2dNormActivation(ctx, y, `${prefix}.block.${i++}`, {
    inChannels: expanded,
    outChannels: expanded,
    kernel,
    stride,
    groups: expanded,
    activation: act,
    eps: BN_EPS,
    gain: heGain(expanded !== input ? act : inputActivation),
  });
  if (useSE) y = squeezeExcitation(ctx, y, `${prefix}.block.${i++}`, expanded, makeDivisible(expanded / 4, 8));
  y = conv2dNormActivation(ctx, y, `${prefix}.block.${i++}`, {
    inChannels: expanded,
    outChannels: output,
    kernel: 1,
    activation: 'none',
    eps: BN_EPS,
    gamma: residual ? RESIDUAL_GAMMA : 1,
    gain: heGain(act) * (useSE ? SE_GATE_GAIN : 1),
  });
  return residual ? ctx.g.addNode('Add', [y, x], 1, undefined, `${prefix}.add`)[0] : y;
}

/** MobileNetV3-Large: input `input` [batch, 3, 224, 224] (normalized RGB), output `logits` [batch, 1000]. */
export function buildMobileNetV3Large(seed: number): GraphBuilder {
  const g = new GraphBuilder('mobilenet_v3_large');
  const ctx: LayerContext = { g, rng: new SeededRandom(seed) };
  labelArchitectureOnly(g, 'mobilenetv3', seed);

  let x = g.addInput('input', ['batch', 3, 224, 224]);
  x = conv2dNormActivation(ctx, x, 'features.0', {
    inChannels: 3,
    outChannels: 16,
    kernel: 3,
    stride: 2,
    activation: 'hardswish',
    eps: BN_EPS,
  });
  LARGE.forEach((c, i) => {
    // A block reads the stem's Hardswish output (block 1) or the previous block's linear projection.
    x = invertedResidual(ctx, x, `features.${i + 1}`, c, i === 0 ? 'hardswish' : 'none');
  });
  const lastIn = LARGE[LARGE.length - 1][3];
  x = conv2dNormActivation(ctx, x, `features.${LARGE.length + 1}`, {
    inChannels: lastIn,
    outChannels: 6 * lastIn,
    kernel: 1,
    activation: 'hardswish',
    eps: BN_EPS,
  });
  x = globalAvgPoolFlatten(ctx, x, 'avgpool');
  x = linear(ctx, x, 'classifier.0', 6 * lastIn, LAST_CHANNEL, { gain: heGain('hardswish') });
  x = g.addNode('HardSwish', [x], 1, undefined, 'classifier.1')[0];
  // classifier.2 is Dropout(0.2): the identity at inference, so no node.
  linear(ctx, x, 'classifier.3', LAST_CHANNEL, 1000, { gain: heGain('hardswish'), output: 'logits' });
  g.addOutput('logits', ['batch', 1000]);
  return g;
}
