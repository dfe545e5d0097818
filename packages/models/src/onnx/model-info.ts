/**
 * What an .onnx file declares (inputs, outputs, opset, producer, metadata), read without decoding its
 * weights, and the errors for bytes that are not an ONNX model.
 *
 * The top-level ModelProto and GraphProto are walked with a tiny protobuf wire reader that skips node and
 * initializer payloads by length; only the small messages (value infos, opsets, metadata entries) go
 * through onnx-proto's decoders. So a 100 MB model costs a few hundred field skips, and a cut-off file is
 * told apart from a foreign one: a length that runs past the end of the file means truncated.
 */
import { errorClass } from '@ocellus/core';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The bytes are not a (complete) ONNX model. The message names the file and what is wrong. */
export const ModelFileError = errorClass('ModelFileError', 'ERR_OCELLUS_MODEL_FILE');
export type ModelFileError = InstanceType<typeof ModelFileError>;

export interface TensorInfo {
  readonly name: string;
  /** A number for a fixed size, the dim_param name (e.g. 'batch') for a symbolic one, '?' when neither is set. */
  readonly dims: readonly (number | string)[];
  /** 'float32', 'uint8', 'int64', 'float16', ... */
  readonly elemType: string;
}

export interface ModelInfo {
  /** Graph inputs a caller feeds: initializers listed as inputs (IR < 4 files) are left out. */
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  /** The opset of the default ONNX domain. */
  readonly opset: number;
  readonly producer: string;
  readonly irVersion: number;
}

const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** A read ran past the end of the slice being read. */
class OutOfBounds extends Error {
  constructor(
    readonly needed: number,
    readonly available: number,
  ) {
    super(`a field needs ${needed} bytes, ${available} remain`);
  }
}

/** The bytes cannot be protobuf (bad wire type, over-long varint). */
class Malformed extends Error {}

/** Protobuf wire-format reader over bytes[pos, end): just enough to walk fields and skip payloads. */
class WireReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OutOfBounds(1, 0);
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale; // arithmetic, not bit ops: values above 2^31 stay exact up to 2^53
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Malformed('a varint is longer than 10 bytes');
  }

  tag(): { field: number; wire: number } {
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t % 8 };
  }

  /** A length-delimited payload: returns its [start, end) and moves past it. */
  lengthDelimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (len > this.end - start) throw new OutOfBounds(len, this.end - start);
    this.pos = start + len;
    return [start, start + len];
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_LEN) this.lengthDelimited();
    else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      const n = wire === WIRE_FIXED64 ? 8 : 4;
      if (this.end - this.pos < n) throw new OutOfBounds(n, this.end - this.pos);
      this.pos += n;
    } else throw new Malformed(`wire type ${wire} is not used by ONNX`);
  }
}

/** ModelProto fields we read or expect, with their wire types. */
const MODEL_FIELDS: Record<number, [string, number]> = {
  1: ['ir_version', WIRE_VARINT],
  2: ['producer_name', WIRE_LEN],
  3: ['producer_version', WIRE_LEN],
  4: ['domain', WIRE_LEN],
  5: ['model_version', WIRE_VARINT],
  6: ['doc_string', WIRE_LEN],
  7: ['graph', WIRE_LEN],
  8: ['opset_import', WIRE_LEN],
  14: ['metadata_props', WIRE_LEN],
  20: ['training_info', WIRE_LEN],
  25: ['functions', WIRE_LEN],
};

/** IR versions that exist or may soon (ONNX 1.17 writes 10); anything else in field 1 is not ONNX. */
const MAX_IR_VERSION = 64;

function hexPrefix(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function formatBytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes`;
}

function utf8(bytes: Uint8Array, [start, end]: [number, number]): string {
  return new TextDecoder().decode(bytes.subarray(start, end));
}

function tensorInfo(raw: Uint8Array): TensorInfo {
  const vi = onnx.ValueInfoProto.decode(raw);
  const tensorType = vi.type?.tensorType;
  let elemType = 'unknown';
  if (tensorType) elemType = ELEM_TYPES[tensorType.elemType ?? 0] ?? `onnx-type-${tensorType.elemType}`;
  else if (vi.type?.sequenceType) elemType = 'sequence';
  else if (vi.type?.mapType) elemType = 'map';
  const dims = (tensorType?.shape?.dim ?? []).map((d) => {
    if (d.dimParam) return d.dimParam;
    if (d.dimValue != null) return Number(d.dimValue.toString());
    return '?';
  });
  return { name: vi.name ?? '', dims, elemType };
}

/** The name of an initializer (TensorProto field 8), without reading its data. */
function initializerName(bytes: Uint8Array, [start, end]: [number, number]): string | undefined {
  const r = new WireReader(bytes, start, end);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 8 && wire === WIRE_LEN) return utf8(bytes, r.lengthDelimited());
    r.skip(wire);
  }
  return undefined;
}

interface GraphHeader {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: Set<string>;
}

/** GraphProto: inputs (11), outputs (12), initializer names (5); nodes and everything else skipped. */
function readGraph(bytes: Uint8Array, range: [number, number]): GraphHeader {
  const r = new WireReader(bytes, range[0], range[1]);
  const graph: GraphHeader = { inputs: [], outputs: [], initializers: new Set() };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === WIRE_LEN && (field === 11 || field === 12)) {
      const [s, e] = r.lengthDelimited();
      (field === 11 ? graph.inputs : graph.outputs).push(tensorInfo(bytes.subarray(s, e)));
    } else if (wire === WIRE_LEN && field === 5) {
      const name = initializerName(bytes, r.lengthDelimited());
      if (name) graph.initializers.add(name);
    } else r.skip(wire);
  }
  return graph;
}

/**
 * Reads the header of an ONNX model: its inputs, outputs, opset, producer and metadata.
 * `name` (a file name) goes into error messages; it defaults to '<buffer>'.
 * Throws ModelFileError for empty, foreign, truncated or corrupt bytes.
 */
export function readModelInfo(bytes: Uint8Array, name = '<buffer>'): ModelInfo {
  const what = `'${name}'`;
  if (bytes.length === 0) throw new ModelFileError(`${what} is empty (0 bytes): an ONNX model was expected`);
  const notOnnx = (why: string) => new ModelFileError(`${what} is not an ONNX model (${why})`);

  // Every ONNX writer (protobuf C++, protobufjs, ours) emits fields in number order, so a model starts
  // with ir_version: tag 0x08. Checking it first keeps a PNG or a text file from being called "truncated".
  const r = new WireReader(bytes, 0, bytes.length);
  const first = bytes[0] === 0x08 ? r.tag() : undefined;
  let irVersion = 0;
  try {
    if (first) irVersion = r.varint();
  } catch (e) {
    if (e instanceof OutOfBounds)
      throw new ModelFileError(`${what} is truncated (${formatBytes(bytes.length)}, ends inside ir_version)`);
    throw notOnnx((e as Error).message);
  }
  if (!first || irVersion < 1 || irVersion > MAX_IR_VERSION) {
    throw notOnnx(`it does not start with an ONNX ModelProto ir_version field; first bytes: ${hexPrefix(bytes)}`);
  }

  let producer = '';
  let graphRange: [number, number] | undefined;
  let opset: number | undefined;
  const metadata: Record<string, string> = {};
  let current = '';
  try {
    while (!r.done) {
      current = 'the next field tag';
      const { field, wire } = r.tag();
      const known = MODEL_FIELDS[field];
      if (known && known[1] !== wire)
        throw notOnnx(`field ${field} (${known[0]}) has wire type ${wire}, expected ${known[1]}`);
      current = known ? `the ${known[0]} field` : `field ${field}`;
      if (field === 2) producer = utf8(bytes, r.lengthDelimited());
      else if (field === 7) graphRange = r.lengthDelimited();
      else if (field === 8) {
        const [s, e] = r.lengthDelimited();
        const op = onnx.OperatorSetIdProto.decode(bytes.subarray(s, e));
        if (!op.domain || op.domain === 'ai.onnx') opset = Number(op.version?.toString() ?? 0);
      } else if (field === 14) {
        const [s, e] = r.lengthDelimited();
        const entry = onnx.StringStringEntryProto.decode(bytes.subarray(s, e));
        if (entry.key) metadata[entry.key] = entry.value ?? '';
      } else r.skip(wire);
    }
  } catch (e) {
    if (e instanceof OutOfBounds) {
      throw new ModelFileError(
        `${what} is truncated (${formatBytes(bytes.length)}; ${current} needs ${formatBytes(e.needed)}, ` +
          `only ${formatBytes(e.available)} remain)`,
        { cause: e },
      );
    }
    if (e instanceof Malformed) throw notOnnx(e.message);
    if (e instanceof ModelFileError) throw e;
    throw notOnnx(`a header message does not decode: ${(e as Error).message}`);
  }

  if (!graphRange)
    throw new ModelFileError(`${what} is truncated (${formatBytes(bytes.length)}, ends before the graph)`);
  if (opset === undefined) {
    throw new ModelFileError(
      `${what} is truncated or incomplete (${formatBytes(bytes.length)}, no opset_import for the ONNX ` +
        'domain after the graph)',
    );
  }

  let graph: GraphHeader;
  try {
    graph = readGraph(bytes, graphRange);
  } catch (e) {
    // The graph's own length fit in the file, so a read past its end is corruption, not truncation.
    throw notOnnx(`its graph is corrupt: ${(e as Error).message}`);
  }
  return {
    inputs: graph.inputs.filter((i) => !graph.initializers.has(i.name)),
    outputs: graph.outputs,
    metadata,
    opset,
    producer,
    irVersion,
  };
}
