/**
 * ResNet-50 exactly as torchvision.models.resnet50 builds it (the "v1.5" layout: the stride of a
 * downsampling bottleneck sits on its 3x3 conv, not its first 1x1), with seeded architecture-only weights.
 * 25,557,032 parameters, the same count and the same state_dict names as torchvision.
 */
import { GraphBuilder } from '../onnx/graph-builder.js';
import { SeededRandom } from './random.js';
import {
  batchNorm2d,
  conv2d,
  globalAvgPoolFlatten,
  heGain,
  type LayerContext,
  labelArchitectureOnly,
  linear,
} from './torchvision-layers.js';

const BN_EPS = 1e-5; // nn.BatchNorm2d's default, which torchvision's ResNet keeps
const EXPANSION = 4;
const BLOCKS = [3, 4, 6, 3];
const WIDTHS = [64, 128, 256, 512];
/**
 * gamma of each bottleneck's last BN: small, so 16 residual additions grow the trunk's scale slowly
 * (torchvision's zero_init_residual would make every branch vanish, and with it most of the test).
 */
const RESIDUAL_GAMMA = 0.2;

function bottleneck(
  ctx: LayerContext,
  x: string,
  prefix: string,
  inplanes: number,
  width: number,
  stride: number,
): string {
  const { g } = ctx;
  const out = width * EXPANSION;
  const gain = heGain('relu'); // every conv of a bottleneck reads ReLU outputs (the trunk is ReLU'd too)
  let y = conv2d(ctx, x, `${prefix}.conv1`, { inChannels: inplanes, outChannels: width, kernel: 1, padding: 0, gain });
  y = batchNorm2d(ctx, y, `${prefix}.bn1`, width, { eps: BN_EPS });
  y = g.addNode('Relu', [y], 1, undefined, `${prefix}.relu1`)[0];
  y = conv2d(ctx, y, `${prefix}.conv2`, { inChannels: width, outChannels: width, kernel: 3, stride, padding: 1, gain });
  y = batchNorm2d(ctx, y, `${prefix}.bn2`, width, { eps: BN_EPS });
  y = g.addNode('Relu', [y], 1, undefined, `${prefix}.relu2`)[0];
  y = conv2d(ctx, y, `${prefix}.conv3`, { inChannels: width, outChannels: out, kernel: 1, padding: 0, gain });
  y = batchNorm2d(ctx, y, `${prefix}.bn3`, out, { eps: BN_EPS, gamma: RESIDUAL_GAMMA });
  let identity = x;
  if (stride !== 1 || inplanes !== out) {
    identity = conv2d(ctx, x, `${prefix}.downsample.0`, {
      inChannels: inplanes,
      outChannels: out,
      kernel: 1,
      stride,
      padding: 0,
      gain,
    });
    identity = batchNorm2d(ctx, identity, `${prefix}.downsample.1`, out, { eps: BN_EPS });
  }
  const sum = g.addNode('Add', [y, identity], 1, undefined, `${prefix}.add`)[0];
  return g.addNode('Relu', [sum], 1, undefined, `${prefix}.relu3`)[0];
}

/** ResNet-50: input `input` [batch, 3, 224, 224] (normalized RGB), output `logits` [batch, 1000]. */
export function buildResNet50(seed: number): GraphBuilder {
  const g = new GraphBuilder('resnet50');
  const ctx: LayerContext = { g, rng: new SeededRandom(seed) };
  labelArchitectureOnly(g, 'resnet50', seed);

  let x = g.addInput('input', ['batch', 3, 224, 224]);
  x = conv2d(ctx, x, 'conv1', { inChannels: 3, outChannels: 64, kernel: 7, stride: 2, padding: 3 });
  x = batchNorm2d(ctx, x, 'bn1', 64, { eps: BN_EPS });
  x = g.addNode('Relu', [x], 1, undefined, 'relu')[0];
  x = g.addNode(
    'MaxPool',
    [x],
    1,
    { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } },
    'maxpool',
  )[0];

  let inplanes = 64;
  BLOCKS.forEach((count, li) => {
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1;
      x = bottleneck(ctx, x, `layer${li + 1}.${b}`, inplanes, WIDTHS[li], stride);
      inplanes = WIDTHS[li] * EXPANSION;
    }
  });

  x = globalAvgPoolFlatten(ctx, x, 'avgpool');
  linear(ctx, x, 'fc', 512 * EXPANSION, 1000, { output: 'logits' });
  g.addOutput('logits', ['batch', 1000]);
  return g;
}
