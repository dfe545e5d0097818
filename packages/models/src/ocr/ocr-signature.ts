/**
 * Does a model fit its OCR stage? PP-OCR det: [N,3,H,W] -> [N,1,H,W] probability map; rec: [N,3,48,W]
 * -> [N,T,C] character probabilities; cls: [N,3,48,192] -> [N,2] (0 / 180 degrees). Refuses a mismatch
 * (e.g. the rec file given as det) with ModelSignatureError naming the file and both signatures.
 */
import { ModelSignatureError, formatSignature } from '../engine/signature.js';
import type { ModelInfo } from '../onnx/model-info.js';

export type OcrStage = 'det' | 'rec' | 'cls';

export const OCR_EXPECTED_SIGNATURE: Record<OcrStage, string> = {
  det: 'input [N,3,H,W] -> output [N,1,H,W] (PP-OCR text detection, DB)',
  rec: 'input [N,3,48,W] -> output [N,T,C] (PP-OCR text recognition, CTC)',
  cls: 'input [N,3,48,192] -> output [N,2] (PP-OCR text direction classifier)',
};

/** What each stage's rank and fixed dims must be (undefined = any). */
const SHAPES: Record<OcrStage, { input: (number | undefined)[]; output: (number | undefined)[] }> = {
  det: { input: [undefined, 3, undefined, undefined], output: [undefined, 1, undefined, undefined] },
  rec: { input: [undefined, 3, 48, undefined], output: [undefined, undefined, undefined] },
  cls: { input: [undefined, 3, 48, 192], output: [undefined, 2] },
};

export interface OcrFitted {
  readonly inputName: string;
  readonly outputName: string;
  /** rec: the class count C when the model fixes it. */
  readonly classes?: number;
}

export function checkOcrSignature(stage: OcrStage, info: ModelInfo, fileName: string): OcrFitted {
  const expected = OCR_EXPECTED_SIGNATURE[stage];
  const graph = {
    inputs: info.inputs.map((t) => ({ name: t.name, dims: t.dims, elemType: t.elemType })),
    outputs: info.outputs.map((t) => ({ name: t.name, dims: t.dims, elemType: t.elemType })),
  };
  const found = formatSignature(graph);
  const refuse = (why: string): never => {
    throw new ModelSignatureError(
      `'${fileName}' does not fit the OCR ${stage} stage: expected ${expected}, found ${found} (${why}); ` +
        `pass a PP-OCR ${stage} model as ${stage}Model`,
      expected,
      found,
    );
  };
  if (info.inputs.length !== 1) refuse(`it has ${info.inputs.length} inputs, the stage feeds one`);
  if (info.outputs.length !== 1) refuse(`it has ${info.outputs.length} outputs, the stage reads one`);
  const [input] = info.inputs;
  const [output] = info.outputs;
  const want = SHAPES[stage];
  for (const [what, t, dims] of [
    ['input', input!, want.input],
    ['output', output!, want.output],
  ] as const) {
    if (t.elemType !== 'float32') refuse(`${what} '${t.name}' is ${t.elemType}, not float32`);
    if (t.dims.length !== dims.length) refuse(`${what} '${t.name}' has rank ${t.dims.length}, not ${dims.length}`);
    dims.forEach((d, i) => {
      const got = t.dims[i];
      if (d !== undefined && typeof got === 'number' && got > 0 && got !== d)
        refuse(`${what} dim ${i} is ${got}, not ${d}`);
    });
  }
  const last = output!.dims[output!.dims.length - 1];
  return {
    inputName: input!.name,
    outputName: output!.name,
    ...(stage === 'rec' && typeof last === 'number' && last > 0 ? { classes: last } : {}),
  };
}
