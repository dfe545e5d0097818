/**
 * A small ONNX graph writer: add inputs, initializers and nodes in order, get the .onnx bytes.
 *
 * Serialization goes through onnx-proto's protobufjs classes. Every tensor is written as raw_data
 * (little-endian bytes, the layout ONNX requires) from a view of the caller's typed array, so a 100 MB
 * model is one copy into the output buffer rather than 25 M varint/float writes.
 */
import { errorClass } from '@ocellus/core';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS with `module.exports = { onnx }`: a default import works from both of our
// builds, a named import would not survive Node's ESM loader.
const { onnx } = onnxProto;

export type OnnxAttr =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string }
  | { tensor: { data: Float32Array | BigInt64Array | Int32Array; dims: readonly number[] } };

type TensorData = Float32Array | BigInt64Array | Int32Array;

/** A graph was built wrong (unknown input, duplicate name, bad shape): a bug in the caller's builder code. */
export const GraphBuildError = errorClass('GraphBuildError', 'ERR_OCELLUS_GRAPH_BUILD');
export type GraphBuildError = InstanceType<typeof GraphBuildError>;

/** The IR version onnx-proto 8 (ONNX 1.10) describes; opset 17 needs IR >= 8, which onnxruntime reads. */
const IR_VERSION = 8;
const DEFAULT_OPSET = 17;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dataTypeOf(data: TensorData): number {
  const T = onnx.TensorProto.DataType;
  if (data instanceof Float32Array) return T.FLOAT;
  if (data instanceof BigInt64Array) return T.INT64;
  return T.INT32;
}

/** The tensor's bytes in little-endian order: a view on LE hosts (every platform Node ships for), a copy otherwise. */
function littleEndianBytes(data: TensorData): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof BigInt64Array) view.setBigInt64(i * 8, data[i], true);
    else if (data instanceof Float32Array) view.setFloat32(i * 4, data[i], true);
    else view.setInt32(i * 4, data[i], true);
  }
  return out;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function tensorProto(name: string, data: TensorData, dims: readonly number[]): OnnxTypes.ITensorProto {
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0)
      throw new GraphBuildError(`tensor '${name}': dims must be non-negative integers, got [${dims.join(', ')}]`);
  }
  if (elementCount(dims) !== data.length) {
    throw new GraphBuildError(
      `tensor '${name}': dims [${dims.join(', ')}] hold ${elementCount(dims)} elements, data has ${data.length}`,
    );
  }
  return { name, dims: [...dims], dataType: dataTypeOf(data), rawData: littleEndianBytes(data) };
}

function valueInfo(name: string, dims: readonly (number | string)[], elemType: 'float32'): OnnxTypes.IValueInfoProto {
  if (elemType !== 'float32')
    throw new GraphBuildError(`'${name}': only float32 graph inputs and outputs are supported, got '${elemType}'`);
  const dim = dims.map((d) => {
    if (typeof d === 'string') return { dimParam: d };
    if (!Number.isInteger(d) || d < 0)
      throw new GraphBuildError(`'${name}': a dim must be a non-negative integer or a name, got ${d}`);
    return { dimValue: d };
  });
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

function attributeProto(name: string, attr: OnnxAttr): OnnxTypes.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if ('int' in attr) {
    if (!Number.isSafeInteger(attr.int))
      throw new GraphBuildError(`attribute '${name}': int must be an integer, got ${attr.int}`);
    return { name, type: A.INT, i: attr.int };
  }
  if ('float' in attr) return { name, type: A.FLOAT, f: attr.float };
  if ('ints' in attr) {
    for (const v of attr.ints) {
      if (!Number.isSafeInteger(v)) throw new GraphBuildError(`attribute '${name}': ints must be integers, got ${v}`);
    }
    return { name, type: A.INTS, ints: [...attr.ints] };
  }
  if ('floats' in attr) return { name, type: A.FLOATS, floats: [...attr.floats] };
  if ('string' in attr) return { name, type: A.STRING, s: new TextEncoder().encode(attr.string) };
  if ('tensor' in attr) return { name, type: A.TENSOR, t: tensorProto('', attr.tensor.data, attr.tensor.dims) };
  throw new GraphBuildError(`attribute '${name}': unknown attribute kind ${JSON.stringify(Object.keys(attr))}`);
}

export class GraphBuilder {
  private readonly graphName: string;
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly metadata = new Map<string, string>();
  /** Every tensor name defined so far (inputs, initializers, node outputs): ONNX names are SSA. */
  private readonly defined = new Set<string>();
  private readonly nodeNames = new Set<string>();
  private trainableCount = 0;
  private autoId = 0;

  constructor(graphName: string) {
    this.graphName = graphName;
  }

  addInput(name: string, dims: readonly (number | string)[], elemType: 'float32' = 'float32'): string {
    this.define(name, 'graph input');
    this.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  addOutput(name: string, dims: readonly (number | string)[], elemType: 'float32' = 'float32'): void {
    if (this.outputs.some((o) => o.name === name))
      throw new GraphBuildError(`graph output '${name}' is declared twice`);
    // Checked against the defined names in toBytes: the producing node may be added after this call.
    this.outputs.push(valueInfo(name, dims, elemType));
  }

  /** trainable=false for BN running stats and constants (anchors, shapes): they do not count as parameters */
  addInitializer(
    name: string,
    data: Float32Array | BigInt64Array | Int32Array,
    dims: readonly number[],
    options?: { trainable?: boolean },
  ): string {
    const proto = tensorProto(name, data, dims);
    this.define(name, 'initializer');
    this.initializers.push(proto);
    if (options?.trainable ?? true) this.trainableCount += data.length;
    return name;
  }

  /** outputs: names, or a count for auto-generated unique names; returns the output names */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[] | number,
    attrs?: Record<string, OnnxAttr>,
    name?: string,
  ): string[] {
    const nodeName = name ?? this.uniqueNodeName(opType);
    // '' marks an omitted optional input (e.g. Resize's roi); anything else must already exist, which
    // also keeps the node list topologically sorted as ONNX requires.
    for (const input of inputs) {
      if (input !== '' && !this.defined.has(input)) {
        throw new GraphBuildError(`node '${nodeName}' (${opType}): input '${input}' is not defined yet`);
      }
    }
    let outputNames: string[];
    if (typeof outputs === 'number') {
      if (!Number.isInteger(outputs) || outputs < 1)
        throw new GraphBuildError(`node '${nodeName}' (${opType}): output count must be >= 1, got ${outputs}`);
      outputNames = Array.from({ length: outputs }, (_, i) =>
        this.uniqueTensorName(outputs === 1 ? `${nodeName}_out` : `${nodeName}_out${i}`),
      );
    } else {
      outputNames = [...outputs];
    }
    for (const out of outputNames) this.define(out, `output of node '${nodeName}'`);
    this.nodeNames.add(nodeName);
    this.nodes.push({
      name: nodeName,
      opType,
      input: [...inputs],
      output: outputNames,
      attribute: Object.entries(attrs ?? {}).map(([k, v]) => attributeProto(k, v)),
    });
    return outputNames;
  }

  setMetadata(key: string, value: string): void {
    this.metadata.set(key, value);
  }

  /** sum of element counts of trainable initializers */
  get parameterCount(): number {
    return this.trainableCount;
  }

  toBytes(options?: { opsetVersion?: number; producerName?: string }): Uint8Array {
    const opset = options?.opsetVersion ?? DEFAULT_OPSET;
    if (!Number.isInteger(opset) || opset < 1)
      throw new GraphBuildError(`opsetVersion must be a positive integer, got ${opset}`);
    for (const out of this.outputs) {
      if (!this.defined.has(out.name!))
        throw new GraphBuildError(`graph output '${out.name}' is produced by no node, input or initializer`);
    }
    if (this.outputs.length === 0) throw new GraphBuildError(`graph '${this.graphName}' has no outputs`);
    const model: OnnxTypes.IModelProto = {
      irVersion: IR_VERSION,
      producerName: options?.producerName ?? 'ocellus',
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      opsetImport: [{ domain: '', version: opset }],
      metadataProps: [...this.metadata].map(([key, value]) => ({ key, value })),
    };
    const bytes = onnx.ModelProto.encode(model).finish();
    // protobufjs hands back a Node Buffer; callers get a plain Uint8Array view of the same memory.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private define(name: string, what: string): void {
    if (name === '') throw new GraphBuildError(`${what}: tensor names must not be empty`);
    if (this.defined.has(name)) throw new GraphBuildError(`${what}: tensor name '${name}' is already defined`);
    this.defined.add(name);
  }

  private uniqueNodeName(opType: string): string {
    let n: string;
    do n = `${opType}_${this.autoId++}`;
    while (this.nodeNames.has(n) || this.defined.has(n));
    return n;
  }

  private uniqueTensorName(base: string): string {
    if (!this.defined.has(base)) return base;
    let i = 1;
    while (this.defined.has(`${base}_${i}`)) i++;
    return `${base}_${i}`;
  }
}
