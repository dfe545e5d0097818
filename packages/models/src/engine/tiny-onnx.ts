/**
 * Test helper: tiny ONNX models built with onnx-proto, so the session pool and the signature checks
 * can be tested in milliseconds without the real architectures. Not exported from the package.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Dim = number | string;

function valueInfo(name: string, dims: readonly Dim[], elemType = onnx.TensorProto.DataType.FLOAT) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatTensor(name: string, dims: readonly number[], values: Float32Array) {
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer) };
}

function intTensor(name: string, values: readonly number[]) {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] };
}

export interface TinyModelOptions {
  metadata?: Record<string, string>;
  graphName?: string;
  /** The default domain's opset (13). */
  opset?: number;
}

function encode(graph: Record<string, unknown>, options: TinyModelOptions = {}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'ocellus-tiny-onnx',
    opsetImport: [{ domain: '', version: options.opset ?? 13 }],
    graph: { name: options.graphName ?? 'tiny', ...graph },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** y = x * 2 + 1, input 'x' [batch, width] float32. */
export function affineModel(width = 4, options: TinyModelOptions = {}): Uint8Array {
  return encode(
    {
      node: [
        { opType: 'Mul', input: ['x', 'two'], output: ['x2'] },
        { opType: 'Add', input: ['x2', 'one'], output: ['y'] },
      ],
      initializer: [floatTensor('two', [1], new Float32Array([2])), floatTensor('one', [1], new Float32Array([1]))],
      input: [valueInfo('x', ['batch', width])],
      output: [valueInfo('y', ['batch', width])],
    },
    options,
  );
}

/**
 * A stand-in classifier: input [batch,3,size,size] -> spatial mean -> [batch,3] x W[3,classes] ->
 * [batch, classes]. The weights are fixed (W[c,k] = (k % 7 - 3) * (c + 1) / 10), so outputs depend on
 * the image.
 */
export function tinyClassifierModel(
  options: TinyModelOptions & {
    size?: Dim;
    classes?: number;
    batch?: Dim;
    inputName?: string;
    outputName?: string;
  } = {},
): Uint8Array {
  const classes = options.classes ?? 1000;
  const size = options.size ?? 224;
  const batch = options.batch ?? 'batch';
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'logits';
  const w = new Float32Array(3 * classes);
  for (let c = 0; c < 3; c++) for (let k = 0; k < classes; k++) w[c * classes + k] = (((k % 7) - 3) * (c + 1)) / 10;
  return encode(
    {
      node: [
        {
          opType: 'ReduceMean',
          input: [inputName],
          output: ['pooled'],
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [2, 3] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
          ],
        },
        { opType: 'MatMul', input: ['pooled', 'w'], output: [outputName] },
      ],
      initializer: [floatTensor('w', [3, classes], w)],
      input: [valueInfo(inputName, [batch, 3, size, size])],
      output: [valueInfo(outputName, [batch, classes])],
    },
    options,
  );
}

/**
 * A stand-in YOLO head: input [batch,3,size,size] -> output [batch, 4+nc, anchors]: the mean of the
 * image plus a fixed pattern in which anchor a has box (cx,cy,w,h) = (20+a, 30+a, 10, 20) (for the
 * first few anchors) and class a % nc with score 0.9, every other score 0.
 */
export function tinyDetectorModel(
  options: TinyModelOptions & { size?: Dim; classes?: number; anchors?: number; batch?: Dim } = {},
): Uint8Array {
  const nc = options.classes ?? 80;
  const anchors = options.anchors ?? 8400;
  const size = options.size ?? 640;
  const batch = options.batch ?? 'batch';
  const rows = 4 + nc;
  const pattern = new Float32Array(rows * anchors);
  for (let a = 0; a < anchors; a++) {
    pattern[0 * anchors + a] = 20 + (a % 500);
    pattern[1 * anchors + a] = 30 + (a % 500);
    pattern[2 * anchors + a] = 10;
    pattern[3 * anchors + a] = 20;
  }
  // three confident, well separated boxes
  for (const [a, x] of [
    [0, 100],
    [1, 300],
    [2, 500],
  ] as const) {
    pattern[0 * anchors + a] = x;
    pattern[1 * anchors + a] = 320;
    pattern[2 * anchors + a] = 80;
    pattern[3 * anchors + a] = 120;
    pattern[(4 + (a % nc)) * anchors + a] = 0.9;
  }
  return encode(
    {
      node: [
        {
          opType: 'ReduceMean',
          input: ['images'],
          output: ['m'],
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 2, 3] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
          ],
        },
        { opType: 'Mul', input: ['m', 'zero'], output: ['m0'] },
        { opType: 'Unsqueeze', input: ['m0', 'axes12'], output: ['m3'] },
        { opType: 'Add', input: ['m3', 'pattern'], output: ['output0'] },
      ],
      initializer: [
        floatTensor('zero', [1], new Float32Array([0])),
        intTensor('axes12', [1, 2]),
        floatTensor('pattern', [1, rows, anchors], pattern),
      ],
      input: [valueInfo('images', [batch, 3, size, size])],
      output: [valueInfo('output0', [batch, rows, anchors])],
    },
    options,
  );
}

/**
 * A model that takes a while: `depth` chained MatMuls by a width x width matrix (every entry 1/width),
 * input 'x' [batch, width] -> 'y' [batch, width]. About batch * width^2 * depth multiply-adds.
 */
export function slowModel(width = 512, depth = 8, options: TinyModelOptions = {}): Uint8Array {
  const w = new Float32Array(width * width).fill(1 / width);
  const node = Array.from({ length: depth }, (_, i) => ({
    opType: 'MatMul',
    input: [i === 0 ? 'x' : `h${i}`, 'w'],
    output: [i === depth - 1 ? 'y' : `h${i + 1}`],
  }));
  return encode(
    {
      node,
      initializer: [floatTensor('w', [width, width], w)],
      input: [valueInfo('x', ['batch', width])],
      output: [valueInfo('y', ['batch', width])],
    },
    options,
  );
}
