/**
 * YOLOv8s exactly as Ultralytics builds it from ultralytics/cfg/models/v8/yolov8.yaml at scale 's'
 * (depth 0.33, width 0.50, max_channels 1024), with the Detect head's export-time decoding in the graph:
 * input `images` [batch,3,640,640], output `output0` [batch,84,8400] = xywh boxes in input pixels and
 * 80 sigmoid class scores per anchor, with the names and layout of an Ultralytics ONNX export (only the
 * batch axis is dynamic: anchors are baked in for 640x640).
 *
 * Weights are seeded random (architecture-only). The unfused parameter count equals Ultralytics'
 * `sum(p.numel() for p in model.parameters())`: 11,166,560.
 */

import { COCO_LABELS, formatNamesMetadata } from '../labels/coco.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { SeededRandom } from './random.js';
import {
  c2f,
  conv2dBiased,
  convBnSilu,
  floatConst,
  int64Const,
  type LayerContext,
  out,
  sppf,
} from './ultralytics-layers.js';

export const YOLOV8S_INPUT = 'images';
export const YOLOV8S_OUTPUT = 'output0';
export const YOLOV8S_IMAGE_SIZE = 640;
export const YOLOV8S_STRIDES: readonly number[] = [8, 16, 32];
export const YOLOV8S_NOTE = 'architecture-only: seeded random weights, not trained; detections are meaningless';

const NUM_CLASSES = COCO_LABELS.length;
const REG_MAX = 16; // DFL bins per box side
const NUM_OUTPUTS = NUM_CLASSES + 4 * REG_MAX; // 144 channels per anchor before decoding

// yolov8.yaml scale 's': [depth, width, max_channels].
const DEPTH = 0.33;
const WIDTH = 0.5;
const MAX_CHANNELS = 1024;

/** parse_model's channel rule: make_divisible(min(c, max_channels) * width, 8). */
function ch(c: number): number {
  return Math.ceil((Math.min(c, MAX_CHANNELS) * WIDTH) / 8) * 8;
}

/** parse_model's repeat rule: max(round(n * depth), 1) (no .5 ties occur for n in {3, 6}). */
function reps(n: number): number {
  return Math.max(Math.round(n * DEPTH), 1);
}

/**
 * Detect.bias_init as Ultralytics runs it on a new v8 model: box logits 1.0, class logits
 * log(5 / nc / (640 / stride)^2), a prior of ~5 objects per image (about -11.5, -10.1, -8.7 for strides
 * 8, 16, 32). With these, a random model scores flat images near 0 and gives a photo a few anchors above
 * 0.25 (checked on samples/), so a pipeline has boxes to exercise without a flood of them.
 */
const BOX_BIAS = 1;
function clsPrior(stride: number): number {
  return Math.log(5 / NUM_CLASSES / (YOLOV8S_IMAGE_SIZE / stride) ** 2);
}

function binary(ctx: LayerContext, op: string, a: string, b: string, path: string, suffix = ''): string {
  const y = out(path, op + suffix);
  ctx.graph.addNode(op, [a, b], [y], {}, `/${path}/${op}${suffix}`);
  return y;
}

function concat(ctx: LayerContext, inputs: readonly string[], axis: number, path: string, suffix = ''): string {
  const y = out(path, 'Concat' + suffix);
  ctx.graph.addNode('Concat', inputs, [y], { axis: { int: axis } }, `/${path}/Concat${suffix}`);
  return y;
}

/** nn.Upsample(scale_factor=2, mode='nearest') as torch exports it: Resize with floor-nearest, asymmetric. */
function upsample2x(ctx: LayerContext, x: string, path: string): string {
  const scales = floatConst(ctx, `/${path}/Resize_scales`, Float32Array.of(1, 1, 2, 2), [4]);
  const y = out(path, 'Resize');
  ctx.graph.addNode(
    'Resize',
    [x, '', scales],
    [y],
    {
      mode: { string: 'nearest' },
      coordinate_transformation_mode: { string: 'asymmetric' },
      nearest_mode: { string: 'floor' },
    },
    `/${path}/Resize`,
  );
  return y;
}

/**
 * make_anchors(feats, strides, 0.5), transposed as Detect keeps them: anchors [1,2,A] (x row, y row), strides [1,A].
 */
function anchorsAndStrides(): { anchors: Float32Array; strides: Float32Array; count: number } {
  const sizes = YOLOV8S_STRIDES.map((s) => YOLOV8S_IMAGE_SIZE / s);
  const count = sizes.reduce((n, hw) => n + hw * hw, 0);
  const anchors = new Float32Array(2 * count);
  const strides = new Float32Array(count);
  let a = 0;
  YOLOV8S_STRIDES.forEach((stride, level) => {
    const hw = sizes[level];
    // Row-major over (y, x), matching the [N,C,H,W] -> [N,C,H*W] flatten of each level's output.
    for (let y = 0; y < hw; y++) {
      for (let x = 0; x < hw; x++, a++) {
        anchors[a] = x + 0.5;
        anchors[count + a] = y + 0.5;
        strides[a] = stride;
      }
    }
  });
  return { anchors, strides, count };
}

/**
 * Ultralytics Detect (legacy v8 head) plus its inference decode: per level cat(cv2 box branch, cv3 cls
 * branch) -> [N,144,HW]; levels concatenated -> [N,144,A]; split 64/80; DFL (softmax over 16 bins, then a
 * 1x1 conv with the fixed weights 0..15 = expected distance); dist2bbox to xywh; times stride; cat with
 * sigmoid(cls).
 */
function detect(ctx: LayerContext, feats: readonly string[], chans: readonly number[], path: string): string {
  const { graph } = ctx;
  const c2 = Math.max(16, Math.floor(chans[0] / 4), 4 * REG_MAX);
  const c3 = Math.max(chans[0], Math.min(NUM_CLASSES, 100));
  // Built in Ultralytics' module order (all cv2 branches, then all cv3), so seeds fill weights in that order.
  const box = feats.map((x, i) => {
    const h = convBnSilu(ctx, x, `${path}.cv2.${i}.0`, chans[i], c2, 3);
    const h2 = convBnSilu(ctx, h, `${path}.cv2.${i}.1`, c2, c2, 3);
    return conv2dBiased(ctx, h2, `${path}.cv2.${i}.2`, c2, 4 * REG_MAX, 1, BOX_BIAS);
  });
  const cls = feats.map((x, i) => {
    const h = convBnSilu(ctx, x, `${path}.cv3.${i}.0`, chans[i], c3, 3);
    const h2 = convBnSilu(ctx, h, `${path}.cv3.${i}.1`, c3, c3, 3);
    return conv2dBiased(ctx, h2, `${path}.cv3.${i}.2`, c3, NUM_CLASSES, 1, clsPrior(YOLOV8S_STRIDES[i]));
  });
  const dfl = graph.addInitializer(
    `${path}.dfl.conv.weight`,
    Float32Array.from({ length: REG_MAX }, (_, i) => i),
    [1, REG_MAX, 1, 1],
  );

  // 0 in a Reshape shape copies the input's dim: the batch axis stays dynamic.
  const flatShape = int64Const(ctx, `/${path}/Reshape_shape`, [0, NUM_OUTPUTS, -1]);
  const levels = feats.map((_, i) => {
    const cat = concat(ctx, [box[i], cls[i]], 1, path, `_${i}`);
    const flat = out(path, `Reshape_${i}`);
    graph.addNode('Reshape', [cat, flatShape], [flat], {}, `/${path}/Reshape_${i}`);
    return flat;
  });
  const all = concat(ctx, levels, 2, path, '_all');
  const { anchors, strides, count } = anchorsAndStrides();
  const splitSizes = int64Const(ctx, `/${path}/Split_sizes`, [4 * REG_MAX, NUM_CLASSES]);
  const [boxLogits, clsLogits] = graph.addNode(
    'Split',
    [all, splitSizes],
    [out(path, 'Split'), out(path, 'Split', 1)],
    { axis: { int: 1 } },
    `/${path}/Split`,
  );

  // DFL: x.view(b, 4, 16, a).transpose(2, 1).softmax(1) -> conv -> view(b, 4, a).
  const dflPath = `${path}.dfl`;
  const binsShape = int64Const(ctx, `/${dflPath}/Reshape_shape`, [0, 4, REG_MAX, -1]);
  const [bins] = graph.addNode('Reshape', [boxLogits, binsShape], [out(dflPath, 'Reshape')], {}, `/${dflPath}/Reshape`);
  const [binsT] = graph.addNode(
    'Transpose',
    [bins],
    [out(dflPath, 'Transpose')],
    { perm: { ints: [0, 2, 1, 3] } },
    `/${dflPath}/Transpose`,
  );
  const [probs] = graph.addNode(
    'Softmax',
    [binsT],
    [out(dflPath, 'Softmax')],
    { axis: { int: 1 } },
    `/${dflPath}/Softmax`,
  );
  const [expected] = graph.addNode(
    'Conv',
    [probs, dfl],
    [out(`${dflPath}.conv`, 'Conv')],
    { kernel_shape: { ints: [1, 1] } },
    `/${dflPath}/conv/Conv`,
  );
  const distShape = int64Const(ctx, `/${dflPath}/Reshape_1_shape`, [0, 4, -1]);
  const [dist] = graph.addNode(
    'Reshape',
    [expected, distShape],
    [out(dflPath, 'Reshape_1')],
    {},
    `/${dflPath}/Reshape_1`,
  );

  // dist2bbox(xywh=True): lt, rb = chunk(2); x1y1 = a - lt; x2y2 = a + rb; cat((x1y1 + x2y2) / 2, x2y2 - x1y1).
  const anchorT = floatConst(ctx, `${path}.anchors`, anchors, [1, 2, count]);
  const strideT = floatConst(ctx, `${path}.strides`, strides, [1, count]);
  const two = floatConst(ctx, `/${path}/Constant_two`, Float32Array.of(2), []);
  const halves = int64Const(ctx, `/${path}/Split_1_sizes`, [2, 2]);
  const [lt, rb] = graph.addNode(
    'Split',
    [dist, halves],
    [out(path, 'Split_1'), out(path, 'Split_1', 1)],
    { axis: { int: 1 } },
    `/${path}/Split_1`,
  );
  const x1y1 = binary(ctx, 'Sub', anchorT, lt, path);
  const x2y2 = binary(ctx, 'Add', anchorT, rb, path);
  const centre = binary(ctx, 'Div', binary(ctx, 'Add', x1y1, x2y2, path, '_1'), two, path);
  const wh = binary(ctx, 'Sub', x2y2, x1y1, path, '_1');
  const xywh = binary(ctx, 'Mul', concat(ctx, [centre, wh], 1, path, '_box'), strideT, path);

  const [scores] = graph.addNode('Sigmoid', [clsLogits], [out(path, 'Sigmoid')], {}, `/${path}/Sigmoid`);
  graph.addNode('Concat', [xywh, scores], [YOLOV8S_OUTPUT], { axis: { int: 1 } }, `/${path}/Concat_out`);
  return YOLOV8S_OUTPUT;
}

/** YOLOv8s with weights drawn from `seed`; the same seed gives the same bytes on every machine. */
export function buildYoloV8s(seed: number): GraphBuilder {
  const graph = new GraphBuilder('yolov8s');
  const ctx: LayerContext = { graph, rng: new SeededRandom(seed) };
  const m = (i: number) => `model.${i}`;

  let x = graph.addInput(YOLOV8S_INPUT, ['batch', 3, YOLOV8S_IMAGE_SIZE, YOLOV8S_IMAGE_SIZE]);
  // Backbone (yolov8.yaml layers 0-9).
  x = convBnSilu(ctx, x, m(0), 3, ch(64), 3, 2); // P1/2
  x = convBnSilu(ctx, x, m(1), ch(64), ch(128), 3, 2); // P2/4
  x = c2f(ctx, x, m(2), ch(128), ch(128), reps(3), true);
  x = convBnSilu(ctx, x, m(3), ch(128), ch(256), 3, 2); // P3/8
  const p3 = c2f(ctx, x, m(4), ch(256), ch(256), reps(6), true);
  x = convBnSilu(ctx, p3, m(5), ch(256), ch(512), 3, 2); // P4/16
  const p4 = c2f(ctx, x, m(6), ch(512), ch(512), reps(6), true);
  x = convBnSilu(ctx, p4, m(7), ch(512), ch(1024), 3, 2); // P5/32
  x = c2f(ctx, x, m(8), ch(1024), ch(1024), reps(3), true);
  const p5 = sppf(ctx, x, m(9), ch(1024), ch(1024), 5);

  // Head (layers 10-22): top-down FPN, then bottom-up PAN.
  x = concat(ctx, [upsample2x(ctx, p5, m(10)), p4], 1, m(11));
  const h12 = c2f(ctx, x, m(12), ch(1024) + ch(512), ch(512), reps(3), false);
  x = concat(ctx, [upsample2x(ctx, h12, m(13)), p3], 1, m(14));
  const out15 = c2f(ctx, x, m(15), ch(512) + ch(256), ch(256), reps(3), false); // P3/8-small
  x = concat(ctx, [convBnSilu(ctx, out15, m(16), ch(256), ch(256), 3, 2), h12], 1, m(17));
  const out18 = c2f(ctx, x, m(18), ch(256) + ch(512), ch(512), reps(3), false); // P4/16-medium
  x = concat(ctx, [convBnSilu(ctx, out18, m(19), ch(512), ch(512), 3, 2), p5], 1, m(20));
  const out21 = c2f(ctx, x, m(21), ch(512) + ch(1024), ch(1024), reps(3), false); // P5/32-large

  const anchorCount = YOLOV8S_STRIDES.reduce((n, s) => n + (YOLOV8S_IMAGE_SIZE / s) ** 2, 0);
  detect(ctx, [out15, out18, out21], [ch(256), ch(512), ch(1024)], m(22));
  graph.addOutput(YOLOV8S_OUTPUT, ['batch', 4 + NUM_CLASSES, anchorCount]);

  // The metadata Ultralytics writes on export (AutoBackend reads stride, task, batch, imgsz, names),
  // plus ours, so every reader of the file can tell these weights are not trained.
  graph.setMetadata('description', 'Ultralytics YOLOv8s architecture (Ocellus build, architecture-only weights)');
  graph.setMetadata('stride', String(Math.max(...YOLOV8S_STRIDES)));
  graph.setMetadata('task', 'detect');
  graph.setMetadata('batch', '1');
  graph.setMetadata('imgsz', `[${YOLOV8S_IMAGE_SIZE}, ${YOLOV8S_IMAGE_SIZE}]`);
  graph.setMetadata('names', formatNamesMetadata(COCO_LABELS));
  graph.setMetadata('ocellus.model', 'yolov8s');
  graph.setMetadata('ocellus.weights', 'architecture-only');
  graph.setMetadata('ocellus.seed', String(seed));
  graph.setMetadata('ocellus.note', YOLOV8S_NOTE);
  return graph;
}
