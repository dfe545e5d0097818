/**
 * Does a model fit a pipeline? Checks the graph's inputs and outputs (count, element type, rank and
 * every fixed dim) against what the pipeline feeds and reads, and refuses a mismatch with an error
 * that names the file, the expected and the found signature.
 *
 * The inputs/outputs come from `readModelInfo` (the ONNX graph, read in the caller's thread before
 * any session exists) or from an onnxruntime session's inputMetadata/outputMetadata (onnxruntime-node
 * 1.30 exposes both); either fits `GraphSignature`.
 */
import { OcellusError } from '@ocellus/core';

export type PipelineTask = 'classification' | 'detection';

export type Dim = number | string;

export interface ValueSignature {
  readonly name: string;
  /** Fixed dims as numbers; symbolic (dynamic) dims as their names ('' or '?' when unnamed). */
  readonly dims?: readonly Dim[];
  /** Alias of `dims` (onnxruntime's metadata calls it shape). */
  readonly shape?: readonly Dim[];
  /** ONNX element type: the TensorProto enum number (1 = float) or a name ('float', 'float32', 'FLOAT'). */
  readonly elemType?: number | string;
  /** onnxruntime's metadata calls it type ('float32'). */
  readonly type?: string;
}

export interface GraphSignature {
  readonly inputs: readonly ValueSignature[];
  readonly outputs: readonly ValueSignature[];
}

/** A model's inputs or outputs do not fit the pipeline it was given to. */
export class ModelSignatureError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_MODEL_SIGNATURE';
  readonly expected: string;
  readonly found: string;
  constructor(message: string, expected: string, found: string) {
    super(ModelSignatureError.CODE, message);
    this.expected = expected;
    this.found = found;
  }
}

/** What a pipeline learns from a model that fits. */
export interface FittedSignature {
  readonly task: PipelineTask;
  readonly inputName: string;
  readonly outputName: string;
  /** The input's dims as declared (symbolic dims as names). */
  readonly inputDims: readonly Dim[];
  readonly outputDims: readonly Dim[];
  /** The batch size when the model fixes it (e.g. exported with batch 1); undefined when dynamic. */
  readonly fixedBatch?: number;
  /** Classification: C; detection: nc (4+nc rows). Undefined when that dim is dynamic. */
  readonly classes?: number;
  /** Detection: A, the anchor count, when fixed. */
  readonly anchors?: number;
}

export const EXPECTED_SIGNATURE: Record<PipelineTask, string> = {
  classification: 'input [N,3,224,224] -> output [N,C]',
  detection: 'input [N,3,640,640] -> output [N,4+nc,A]',
};

const SPATIAL: Record<PipelineTask, number> = { classification: 224, detection: 640 };

function dimsOf(v: ValueSignature): readonly Dim[] | undefined {
  return v.dims ?? v.shape;
}

function formatDim(d: Dim): string {
  if (typeof d === 'number') return d < 0 ? '?' : String(d);
  return d === '' ? '?' : d;
}

function formatValue(v: ValueSignature): string {
  const dims = dimsOf(v);
  const type = elemTypeName(v);
  const typeNote = type && type !== 'float32' ? ` ${type}` : '';
  return `'${v.name}' ${dims ? `[${dims.map(formatDim).join(',')}]` : '(no shape)'}${typeNote}`;
}

function formatList(kind: 'input' | 'output', values: readonly ValueSignature[]): string {
  if (values.length === 0) return `no ${kind}s`;
  return `${kind}${values.length > 1 ? 's' : ''} ${values.map(formatValue).join(', ')}`;
}

/** "input 'input' [batch,3,224,224] -> output 'logits' [batch,1000]" */
export function formatSignature(graph: GraphSignature): string {
  return `${formatList('input', graph.inputs)} -> ${formatList('output', graph.outputs)}`;
}

const ELEM_NAMES: Record<number, string> = {
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
  16: 'bfloat16',
};

/** The element type as a name ('float32', 'float16', ...), or undefined when not stated. */
function elemTypeName(v: ValueSignature): string | undefined {
  const t = v.elemType ?? v.type;
  if (t === undefined || t === null) return undefined;
  if (typeof t === 'number') return ELEM_NAMES[t] ?? `type ${t}`;
  const s = t.toLowerCase();
  if (s === 'float' || s === 'float32' || s === 'tensor(float)') return 'float32';
  if (s === 'double') return 'float64';
  if (s === 'float16' || s === 'tensor(float16)') return 'float16';
  return s;
}

const isFixed = (d: Dim | undefined): d is number => typeof d === 'number' && d >= 0;
const fits = (d: Dim | undefined, want: number): boolean => !isFixed(d) || d === want;

/**
 * Check a model against a pipeline. Returns what the pipeline needs (names, batch, classes); throws
 * `ModelSignatureError` naming the file, the expected and the found signature when it does not fit.
 */
export function validateSignature(task: PipelineTask, graph: GraphSignature, fileName = '<buffer>'): FittedSignature {
  const expected = EXPECTED_SIGNATURE[task];
  const found = formatSignature(graph);
  const refuse = (why: string): never => {
    throw new ModelSignatureError(
      `'${fileName}' does not fit the ${task} pipeline: expected ${expected}, found ${found} (${why})`,
      expected,
      found,
    );
  };

  if (graph.inputs.length !== 1) refuse(`it has ${graph.inputs.length} inputs, the pipeline feeds one`);
  if (graph.outputs.length !== 1) refuse(`it has ${graph.outputs.length} outputs, the pipeline reads one`);
  const input = graph.inputs[0];
  const output = graph.outputs[0];
  const inDims = dimsOf(input);
  const outDims = dimsOf(output);
  if (!inDims) return refuse(`input '${input.name}' has no declared shape`);
  if (!outDims) return refuse(`output '${output.name}' has no declared shape`);

  const inType = elemTypeName(input);
  if (inType !== undefined && inType !== 'float32')
    refuse(`input '${input.name}' is ${inType}, the pipeline feeds float32`);
  const outType = elemTypeName(output);
  if (outType !== undefined && outType !== 'float32') refuse(`output '${output.name}' is ${outType}, not float32`);

  if (inDims.length !== 4) refuse(`input rank ${inDims.length}, expected 4 (NCHW)`);
  if (!fits(inDims[1], 3)) refuse(`input has ${inDims[1]} channels, expected 3`);
  const size = SPATIAL[task];
  if (!fits(inDims[2], size) || !fits(inDims[3], size)) {
    refuse(`input is ${formatDim(inDims[2])}x${formatDim(inDims[3])}, expected ${size}x${size}`);
  }
  const batch = inDims[0];
  const fixedBatch = isFixed(batch) ? batch : undefined;
  if (fixedBatch === 0) refuse('input batch dim is 0');

  if (task === 'classification') {
    if (outDims.length !== 2) refuse(`output rank ${outDims.length}, expected 2 ([N,C])`);
    if (fixedBatch !== undefined && isFixed(outDims[0]) && outDims[0] !== fixedBatch) {
      refuse(`output batch ${outDims[0]} differs from input batch ${fixedBatch}`);
    }
    const classes = isFixed(outDims[1]) ? outDims[1] : undefined;
    if (classes !== undefined && classes < 1) refuse('output has no classes');
    return {
      task,
      inputName: input.name,
      outputName: output.name,
      inputDims: inDims,
      outputDims: outDims,
      fixedBatch,
      classes,
    };
  }

  if (outDims.length !== 3) refuse(`output rank ${outDims.length}, expected 3 ([N,4+nc,A])`);
  if (fixedBatch !== undefined && isFixed(outDims[0]) && outDims[0] !== fixedBatch) {
    refuse(`output batch ${outDims[0]} differs from input batch ${fixedBatch}`);
  }
  const rows = outDims[1];
  if (isFixed(rows) && rows < 5) refuse(`output has ${rows} rows per anchor, expected 4 box values + at least 1 class`);
  const anchors = isFixed(outDims[2]) ? outDims[2] : undefined;
  if (anchors !== undefined && anchors < 1) refuse('output has no anchors');
  if (isFixed(rows) && anchors !== undefined && anchors < rows) {
    // [N, A, 4+nc] (transposed, e.g. YOLOv5-style) exports: the rows and anchors are swapped
    refuse(
      `output looks transposed ([N,A,4+nc]: ${rows} rows > ${anchors} anchors); export with Ultralytics' ` +
        'default [N,4+nc,A] layout',
    );
  }
  return {
    task,
    inputName: input.name,
    outputName: output.name,
    inputDims: inDims,
    outputDims: outDims,
    fixedBatch,
    classes: isFixed(rows) ? rows - 4 : undefined,
    anchors,
  };
}
