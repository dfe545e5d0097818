/**
 * FLOPs of an ONNX model, counted from its graph: shapes are inferred node by node from the graph inputs
 * and the initializers (with the values of small integer tensors propagated, so Reshape/Slice/Unsqueeze
 * targets built from Shape/Gather/Concat chains resolve), and each node costs what its op computes.
 *
 * The convention (also returned in `note`):
 *   - a multiply-add is 2 FLOPs: Conv, ConvTranspose, Gemm and MatMul cost 2 x MACs (plus 1 per output
 *     element for a bias). Publications that quote "GFLOPs" for torchvision models (fvcore, ptflops) count
 *     MACs: ResNet-50's 4.09 "GFLOPs" is 4.09 GMACs = 8.18 GFLOPs here. Ultralytics' 28.6 GFLOPs for
 *     YOLOv8s is thop's MACs x 2, the same convention as here.
 *   - BatchNormalization (inference) is a multiply-add per element: 2 FLOPs per element.
 *   - elementwise activations and arithmetic (Relu, Sigmoid, HardSwish, Add, Mul, ...): 1 per output element.
 *   - pooling: one add or compare per window element per output (GlobalAveragePool: 1 per input element).
 *   - Softmax: 3 per element (exp, sum, divide); Resize: 0 for nearest, 3 per lerp for linear.
 *   - data movement (Concat, Split, Reshape, Transpose, Flatten, Slice, Gather, Shape, Unsqueeze...): 0.
 *   - an op not known here counts 0 and is named in `note`.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;

export interface FlopCount {
  /** FLOPs of one run at the given batch size (batch 1 by default: per image). */
  readonly total: number;
  /** FLOPs per op type, e.g. { Conv: 8.1e9, BatchNormalization: 2.2e7, ... }; only ops that cost something. */
  readonly byOp: Record<string, number>;
  /** The counting convention, and what could not be counted (unknown ops, unknown shapes). */
  readonly note: string;
}

export const FLOPS_CONVENTION =
  'multiply-add = 2 FLOPs (Conv/Gemm/MatMul = 2 x MACs + bias), BatchNormalization 2 per element, ' +
  'elementwise ops 1 per element, data movement 0';

type Shape = number[];
type Long = { toNumber(): number };

function num(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Values of small tensors are kept for shape arithmetic; bigger ones (weights) only by shape. */
const MAX_VALUE_ELEMENTS = 64;

/** The numbers in a TensorProto (raw_data or the typed fields), for the element types shapes use. */
function tensorValues(t: OnnxTypes.ITensorProto): number[] | undefined {
  const T = onnx.TensorProto.DataType;
  const count = size((t.dims ?? []).map(num));
  if (count > MAX_VALUE_ELEMENTS) return undefined;
  const type = t.dataType ?? 0;
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      if (type === T.INT64) out.push(Number(view.getBigInt64(i * 8, true)));
      else if (type === T.INT32) out.push(view.getInt32(i * 4, true));
      else if (type === T.FLOAT) out.push(view.getFloat32(i * 4, true));
      else if (type === T.DOUBLE) out.push(view.getFloat64(i * 8, true));
      else return undefined;
    }
    return out;
  }
  if (type === T.INT64 && t.int64Data?.length) return t.int64Data.map(num);
  if (type === T.INT32 && t.int32Data?.length) return [...t.int32Data];
  if (type === T.FLOAT && t.floatData?.length) return [...t.floatData];
  if (type === T.DOUBLE && t.doubleData?.length) return [...t.doubleData];
  return count === 0 ? [] : undefined;
}

interface Attrs {
  int(name: string, fallback: number): number;
  ints(name: string): number[] | undefined;
  floats(name: string): number[] | undefined;
  has(name: string): boolean;
  float(name: string, fallback: number): number;
  string(name: string, fallback: string): string;
  tensor(name: string): OnnxTypes.ITensorProto | undefined;
}

function attrs(node: OnnxTypes.INodeProto): Attrs {
  const byName = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  return {
    int: (name, fallback) => (byName.has(name) ? num(byName.get(name)!.i) : fallback),
    ints: (name) => byName.get(name)?.ints?.map(num),
    floats: (name) => byName.get(name)?.floats ?? undefined,
    has: (name) => byName.has(name),
    float: (name, fallback) => byName.get(name)?.f ?? fallback,
    string: (name, fallback) => {
      const s = byName.get(name)?.s;
      return s ? new TextDecoder().decode(s) : fallback;
    },
    tensor: (name) => byName.get(name)?.t ?? undefined,
  };
}

/** numpy broadcasting of two shapes; undefined when they do not broadcast. */
function broadcast(a: Shape, b: Shape): Shape | undefined {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Output spatial sizes of a Conv or pool window over `spatial` (ONNX's formula, auto_pad included). */
function windowOutput(a: Attrs, spatial: Shape, kernel: Shape): Shape {
  const n = spatial.length;
  const strides = a.ints('strides') ?? new Array(n).fill(1);
  const dilations = a.ints('dilations') ?? new Array(n).fill(1);
  const pads = a.ints('pads') ?? new Array(2 * n).fill(0);
  const autoPad = a.string('auto_pad', 'NOTSET');
  const ceil = a.int('ceil_mode', 0) === 1;
  return spatial.map((h, i) => {
    const k = dilations[i] * (kernel[i] - 1) + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(h / strides[i]);
    if (autoPad === 'VALID') return Math.floor((h - k) / strides[i]) + 1;
    const span = h + pads[i] + pads[i + n] - k;
    return (ceil ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
  });
}

const UNARY_ELEMENTWISE = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Selu',
  'Celu',
  'Gelu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Softplus',
  'Softsign',
  'Clip',
  'Exp',
  'Log',
  'Sqrt',
  'Reciprocal',
  'Neg',
  'Abs',
  'Erf',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Not',
  'Mish',
  'IsNaN',
  'IsInf',
  'Sin',
  'Cos',
]);
const BINARY_ELEMENTWISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Mod',
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'And',
  'Or',
  'Xor',
  'Sum',
  'Mean',
]);
/** Ops that move or relabel data: no arithmetic. */
const FREE_UNARY = new Set(['Identity', 'Cast', 'Dropout', 'CastLike']);
const REDUCE = new Set([
  'ReduceMean',
  'ReduceSum',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL2',
  'ReduceL1',
  'ReduceSumSquare',
  'ReduceLogSumExp',
]);

const BINARY_VALUE: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => (Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b),
};

/**
 * Counts the FLOPs of an ONNX model (see the convention at the top of this file). Symbolic or missing
 * graph-input dims are set to `batch` (default 1) for the first axis; any other symbolic dim is set to 1
 * and named in `note`.
 */
export function countFlops(bytes: Uint8Array, options: { batch?: number } = {}): FlopCount {
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`countFlops: batch must be a positive integer, got ${batch}`);
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new RangeError('countFlops: the model has no graph');
  const opset = num(model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version) || 17;

  const shapes = new Map<string, Shape>();
  const values = new Map<string, number[]>();
  const notes: string[] = [];

  for (const t of graph.initializer ?? []) {
    shapes.set(t.name ?? '', (t.dims ?? []).map(num));
    const v = tensorValues(t);
    if (v) values.set(t.name ?? '', v);
  }
  const symbolic = new Set<string>();
  for (const input of graph.input ?? []) {
    const name = input.name ?? '';
    if (shapes.has(name)) continue; // an initializer listed as an input (IR < 4)
    const dims = input.type?.tensorType?.shape?.dim ?? [];
    shapes.set(
      name,
      dims.map((d, i) => {
        const v = num(d.dimValue);
        if (v > 0) return v;
        if (i === 0) return batch;
        symbolic.add(`${name}[${i}]${d.dimParam ? ` (${d.dimParam})` : ''}`);
        return 1;
      }),
    );
  }
  if (symbolic.size) notes.push(`symbolic dims set to 1: ${[...symbolic].join(', ')}`);
  // Shapes an exporter already inferred: used for the outputs of ops this counter does not know.
  const declared = new Map<string, Shape>();
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    const dims = vi.type?.tensorType?.shape?.dim;
    if (dims?.every((d) => num(d.dimValue) > 0))
      declared.set(
        vi.name ?? '',
        dims.map((d) => num(d.dimValue)),
      );
  }

  const byOp: Record<string, number> = {};
  const unknown = new Map<string, number>();
  const unshaped = new Set<string>();

  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    const ins = node.input ?? [];
    const outs = node.output ?? [];
    const a = attrs(node);
    const shapeOf = (i: number): Shape | undefined => (ins[i] ? shapes.get(ins[i]) : undefined);
    const constant = (i: number): number[] | undefined => (ins[i] ? values.get(ins[i]) : undefined);
    const setOut = (shape: Shape | undefined, i = 0, value?: number[]) => {
      const name = outs[i];
      if (!name) return;
      const s = shape ?? declared.get(name);
      if (s) shapes.set(name, s);
      if (value && value.length <= MAX_VALUE_ELEMENTS) values.set(name, value);
    };

    let flops = 0;
    let known = true;
    let shapeMissing = false;
    const need = (...idx: number[]): Shape[] | undefined => {
      const s = idx.map((i) => shapeOf(i));
      if (s.some((x) => x === undefined)) {
        shapeMissing = true;
        return undefined;
      }
      return s as Shape[];
    };

    switch (op) {
      case 'Conv': {
        const s = need(0, 1);
        if (!s) break;
        const [x, w] = s;
        const group = a.int('group', 1);
        const kernel = a.ints('kernel_shape') ?? w.slice(2);
        const spatial = windowOutput(a, x.slice(2), kernel);
        const out = [x[0], w[0], ...spatial];
        const perOutput = (x[1] / group) * size(kernel);
        flops = 2 * size(out) * perOutput + (ins[2] ? size(out) : 0);
        setOut(out);
        break;
      }
      case 'ConvTranspose': {
        const s = need(0, 1);
        if (!s) break;
        const [x, w] = s;
        const group = a.int('group', 1);
        const kernel = a.ints('kernel_shape') ?? w.slice(2);
        const n = kernel.length;
        const strides = a.ints('strides') ?? new Array(n).fill(1);
        const dilations = a.ints('dilations') ?? new Array(n).fill(1);
        const pads = a.ints('pads') ?? new Array(2 * n).fill(0);
        const outPad = a.ints('output_padding') ?? new Array(n).fill(0);
        const spatial =
          a.ints('output_shape') ??
          x
            .slice(2)
            .map(
              (h, i) => strides[i] * (h - 1) + outPad[i] + dilations[i] * (kernel[i] - 1) + 1 - pads[i] - pads[i + n],
            );
        const out = [x[0], w[1] * group, ...spatial];
        // Every input element is multiplied into a kernel-sized patch of (out channels / group) outputs.
        flops = 2 * size(x) * w[1] * size(kernel) + (ins[2] ? size(out) : 0);
        setOut(out);
        break;
      }
      case 'Gemm': {
        const s = need(0, 1);
        if (!s) break;
        const [sa, sb] = s;
        const [m, k] = a.int('transA', 0) ? [sa[1], sa[0]] : [sa[0], sa[1]];
        const n = a.int('transB', 0) ? sb[0] : sb[1];
        flops = 2 * m * n * k + (ins[2] ? m * n : 0);
        setOut([m, n]);
        break;
      }
      case 'MatMul': {
        const s = need(0, 1);
        if (!s) break;
        const sa = s[0].length === 1 ? [1, s[0][0]] : s[0];
        const sb = s[1].length === 1 ? [s[1][0], 1] : s[1];
        const m = sa[sa.length - 2];
        const k = sa[sa.length - 1];
        const n = sb[sb.length - 1];
        const batchShape = broadcast(sa.slice(0, -2), sb.slice(0, -2)) ?? [];
        flops = 2 * size(batchShape) * m * n * k;
        const out = [...batchShape, ...(s[0].length === 1 ? [] : [m]), ...(s[1].length === 1 ? [] : [n])];
        setOut(out);
        break;
      }
      case 'BatchNormalization': {
        const s = need(0);
        if (!s) break;
        flops = 2 * size(s[0]);
        setOut(s[0]);
        break;
      }
      case 'InstanceNormalization':
      case 'LayerNormalization': {
        const s = need(0);
        if (!s) break;
        // mean, variance, normalize, scale and shift: about 5 per element.
        flops = 5 * size(s[0]);
        setOut(s[0]);
        break;
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const s = need(0);
        if (!s) break;
        flops = size(s[0]);
        setOut([...s[0].slice(0, 2), ...s[0].slice(2).map(() => 1)]);
        break;
      }
      case 'AveragePool':
      case 'MaxPool':
      case 'LpPool': {
        const s = need(0);
        if (!s) break;
        const kernel = a.ints('kernel_shape') ?? [];
        const out = [...s[0].slice(0, 2), ...windowOutput(a, s[0].slice(2), kernel)];
        flops = size(out) * size(kernel);
        setOut(out);
        break;
      }
      case 'Softmax':
      case 'LogSoftmax': {
        const s = need(0);
        if (!s) break;
        flops = 3 * size(s[0]);
        setOut(s[0]);
        break;
      }
      case 'Resize':
      case 'Upsample': {
        const s = need(0);
        if (!s) break;
        const x = s[0];
        // Resize(X, roi, scales, sizes) from opset 11; Upsample(X, scales) and Resize-10(X, scales) before.
        const scales = op === 'Upsample' || opset < 11 ? constant(1) : constant(2);
        const sizes = op === 'Resize' && opset >= 11 ? constant(3) : undefined;
        let out: Shape | undefined;
        if (sizes && sizes.length === x.length) out = sizes;
        else if (scales && scales.length === x.length) out = x.map((d, i) => Math.floor(d * scales[i]));
        else out = outs[0] ? declared.get(outs[0]) : undefined;
        if (!out) {
          shapeMissing = true;
          break;
        }
        const mode = a.string('mode', 'nearest');
        const resized = out.filter((d, i) => d !== x[i]).length;
        if (mode === 'linear') flops = 3 * (2 ** resized - 1) * size(out);
        else if (mode === 'cubic') flops = 8 * resized * size(out);
        setOut(out);
        break;
      }
      case 'Constant': {
        const t = a.tensor('value');
        if (t) setOut((t.dims ?? []).map(num), 0, tensorValues(t));
        else {
          const list = a.ints('value_ints') ?? a.floats('value_floats');
          const scalar = a.has('value_int')
            ? a.int('value_int', 0)
            : a.has('value_float')
              ? a.float('value_float', 0)
              : undefined;
          if (list) setOut([list.length], 0, list);
          else if (scalar !== undefined) setOut([], 0, [scalar]);
        }
        break;
      }
      case 'Shape': {
        const s = need(0);
        if (!s) break;
        const start = normAxis(a.int('start', 0), s[0].length);
        const end = normAxis(a.int('end', s[0].length), s[0].length);
        const dims = s[0].slice(start, end);
        setOut([dims.length], 0, dims);
        break;
      }
      case 'Size': {
        const s = need(0);
        if (!s) break;
        setOut([], 0, [size(s[0])]);
        break;
      }
      case 'Reshape': {
        const s = need(0);
        if (!s) break;
        const target = constant(1);
        if (!target) {
          const declaredOut = outs[0] ? declared.get(outs[0]) : undefined;
          if (declaredOut) setOut(declaredOut);
          else shapeMissing = true;
          break;
        }
        const allowZero = a.int('allowzero', 0) === 1;
        const dims = target.map((d, i) => (d === 0 && !allowZero ? s[0][i] : d));
        const known = dims.filter((d) => d !== -1);
        const inferred = size(s[0]) / size(known);
        setOut(dims.map((d) => (d === -1 ? inferred : d)));
        break;
      }
      case 'Flatten': {
        const s = need(0);
        if (!s) break;
        const axis = normAxis(a.int('axis', 1), s[0].length);
        setOut([size(s[0].slice(0, axis)), size(s[0].slice(axis))]);
        break;
      }
      case 'Transpose': {
        const s = need(0);
        if (!s) break;
        const perm = a.ints('perm') ?? s[0].map((_, i) => s[0].length - 1 - i);
        setOut(perm.map((p) => s[0][p]));
        break;
      }
      case 'Concat': {
        const s = need(...ins.map((_, i) => i));
        if (!s) break;
        const axis = normAxis(a.int('axis', 0), s[0].length);
        const out = [...s[0]];
        out[axis] = s.reduce((n, x) => n + x[axis], 0);
        const vs = ins.map((_, i) => constant(i));
        setOut(out, 0, s[0].length === 1 && vs.every((v) => v) ? vs.flatMap((v) => v!) : undefined);
        break;
      }
      case 'Split': {
        const s = need(0);
        if (!s) break;
        const axis = normAxis(a.int('axis', 0), s[0].length);
        const total = s[0][axis];
        let parts = opset >= 13 ? constant(1) : a.ints('split');
        if (!parts) {
          const n = a.int('num_outputs', outs.length);
          const each = Math.ceil(total / n);
          parts = Array.from({ length: outs.length }, (_, i) => Math.min(each, total - each * i));
        }
        parts.forEach((p, i) => {
          const out = [...s[0]];
          out[axis] = p;
          setOut(out, i);
        });
        break;
      }
      case 'Slice': {
        const s = need(0);
        if (!s) break;
        const x = s[0];
        const starts = opset >= 10 ? constant(1) : a.ints('starts');
        const ends = opset >= 10 ? constant(2) : a.ints('ends');
        if (!starts || !ends) {
          const declaredOut = outs[0] ? declared.get(outs[0]) : undefined;
          if (declaredOut) setOut(declaredOut);
          else shapeMissing = true;
          break;
        }
        const axes = (opset >= 10 ? constant(3) : a.ints('axes')) ?? starts.map((_, i) => i);
        const steps = (opset >= 10 ? constant(4) : undefined) ?? starts.map(() => 1);
        const out = [...x];
        const input = constant(0);
        let value: number[] | undefined = x.length === 1 && input ? input : undefined;
        axes.forEach((axisRaw, i) => {
          const axis = normAxis(axisRaw, x.length);
          const dim = x[axis];
          const step = steps[i];
          const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
          let b = starts[i] < 0 ? starts[i] + dim : starts[i];
          let e = ends[i] < 0 ? ends[i] + dim : ends[i];
          if (step > 0) {
            b = clamp(b, 0, dim);
            e = clamp(e, 0, dim);
            out[axis] = Math.max(0, Math.ceil((e - b) / step));
          } else {
            b = clamp(b, -1, dim - 1);
            e = clamp(e, -1, dim - 1);
            out[axis] = Math.max(0, Math.ceil((e - b) / step));
          }
          if (value) value = Array.from({ length: out[axis] }, (_, j) => value![b + j * step]);
        });
        setOut(out, 0, value);
        break;
      }
      case 'Gather': {
        const s = need(0, 1);
        if (!s) break;
        const [x, idx] = s;
        const axis = normAxis(a.int('axis', 0), x.length);
        const out = [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
        const xv = constant(0);
        const iv = constant(1);
        setOut(out, 0, x.length === 1 && xv && iv ? iv.map((i) => xv[i < 0 ? i + x[0] : i]) : undefined);
        break;
      }
      case 'Unsqueeze':
      case 'Squeeze': {
        const s = need(0);
        if (!s) break;
        const x = s[0];
        const axesRaw = opset >= 13 ? constant(1) : a.ints('axes');
        let out: Shape;
        if (op === 'Unsqueeze') {
          if (!axesRaw) {
            shapeMissing = true;
            break;
          }
          const rank = x.length + axesRaw.length;
          const axes = new Set(axesRaw.map((ax) => normAxis(ax, rank)));
          out = [];
          let j = 0;
          for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : x[j++]);
        } else {
          const axes = axesRaw ? new Set(axesRaw.map((ax) => normAxis(ax, x.length))) : undefined;
          out = x.filter((d, i) => (axes ? !axes.has(i) : d !== 1));
        }
        setOut(out, 0, constant(0));
        break;
      }
      case 'Expand': {
        const s = need(0);
        const target = constant(1);
        if (!s || !target) {
          shapeMissing ||= !target;
          break;
        }
        setOut(broadcast(s[0], target));
        break;
      }
      case 'ConstantOfShape': {
        const target = constant(0);
        if (!target) {
          shapeMissing = true;
          break;
        }
        const t = a.tensor('value');
        const fill = t ? (tensorValues(t)?.[0] ?? 0) : 0;
        setOut(target, 0, size(target) <= MAX_VALUE_ELEMENTS ? new Array(size(target)).fill(fill) : undefined);
        break;
      }
      case 'Range': {
        const [start, limit, delta] = [constant(0)?.[0], constant(1)?.[0], constant(2)?.[0]];
        if (start === undefined || limit === undefined || delta === undefined) {
          shapeMissing = true;
          break;
        }
        const n = Math.max(Math.ceil((limit - start) / delta), 0);
        setOut(
          [n],
          0,
          Array.from({ length: n }, (_, i) => start + i * delta),
        );
        break;
      }
      case 'Tile': {
        const s = need(0);
        const reps = constant(1);
        if (!s || !reps) {
          shapeMissing ||= !reps;
          break;
        }
        setOut(s[0].map((d, i) => d * reps[i]));
        break;
      }
      case 'Where': {
        const s = need(0, 1, 2);
        if (!s) break;
        const out = broadcast(broadcast(s[0], s[1]) ?? s[1], s[2]);
        if (out) flops = size(out);
        setOut(out);
        break;
      }
      default: {
        if (UNARY_ELEMENTWISE.has(op) || FREE_UNARY.has(op)) {
          const s = need(0);
          if (!s) break;
          if (UNARY_ELEMENTWISE.has(op)) flops = size(s[0]);
          setOut(s[0], 0, FREE_UNARY.has(op) ? constant(0) : undefined);
        } else if (BINARY_ELEMENTWISE.has(op)) {
          const s = need(...ins.map((_, i) => i));
          if (!s) break;
          const out = s.slice(1).reduce<Shape | undefined>((acc, x) => (acc ? broadcast(acc, x) : undefined), s[0]);
          if (!out) {
            shapeMissing = true;
            break;
          }
          flops = size(out) * Math.max(1, ins.length - 1);
          const va = constant(0);
          const vb = constant(1);
          const f = BINARY_VALUE[op];
          let value: number[] | undefined;
          if (f && va && vb && ins.length === 2 && size(out) <= MAX_VALUE_ELEMENTS) {
            value = Array.from({ length: size(out) }, (_, i) =>
              f(va[va.length === 1 ? 0 : i], vb[vb.length === 1 ? 0 : i]),
            );
          }
          setOut(out, 0, value);
        } else if (REDUCE.has(op)) {
          const s = need(0);
          if (!s) break;
          flops = size(s[0]);
          const axesRaw =
            (opset >= 18 || (op === 'ReduceSum' && opset >= 13) ? constant(1) : a.ints('axes')) ??
            s[0].map((_, i) => i);
          const axes = new Set(axesRaw.map((ax) => normAxis(ax, s[0].length)));
          const keep = a.int('keepdims', 1) === 1;
          setOut(s[0].flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d])));
        } else {
          known = false;
          unknown.set(op, (unknown.get(op) ?? 0) + 1);
          for (let i = 0; i < outs.length; i++) setOut(undefined, i);
        }
      }
    }

    if (shapeMissing && known) {
      unshaped.add(op);
      for (let i = 0; i < outs.length; i++) setOut(undefined, i);
    }
    if (flops > 0) byOp[op] = (byOp[op] ?? 0) + flops;
  }

  if (unknown.size)
    notes.push(`not counted (unknown ops, 0 FLOPs): ${[...unknown].map(([op, n]) => `${op} x${n}`).join(', ')}`);
  if (unshaped.size) notes.push(`not counted (input shapes unknown): ${[...unshaped].join(', ')}`);
  const total = Object.values(byOp).reduce((s, v) => s + v, 0);
  return { total, byOp, note: [`batch ${batch}; ${FLOPS_CONVENTION}`, ...notes].join('; ') };
}
