import type { TensorView } from '../backend/plugin.js';
import { DTypeError, ShapeError } from '../errors.js';
import { dtypeBytes } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { getOp } from './registry.js';
import { checkInputs } from './schema.js';

/**
 * What a backend's `run()` checks when called directly (core's Device checks the same before it calls):
 * the op exists, the inputs fit its schema, and each output has the dtype and shape its shape rule gives
 * and a buffer large enough. Throws the same named errors as the Device.
 */
export function checkKernelCall(
  op: string,
  inputs: readonly TensorView[],
  outputs: readonly TensorView[],
  attrs: Readonly<Record<string, unknown>>,
): void {
  const schema = getOp(op);
  checkInputs(schema, inputs);
  const specs = schema.outputs(inputs, attrs as never);
  if (specs.length !== outputs.length)
    throw new ShapeError(`${op}: takes ${specs.length} output(s), got ${outputs.length}`);
  specs.forEach((s, i) => {
    const o = outputs[i]!;
    if (s.dtype !== o.dtype) throw new DTypeError(`${op}: output ${i} must be ${s.dtype}, got ${o.dtype}`);
    if (formatShape(s.shape) !== formatShape(o.shape)) {
      throw new ShapeError(`${op}: output ${i} must be ${formatShape(s.shape)}, got ${formatShape(o.shape)}`);
    }
    if (o.buffer.byteLength < o.size * dtypeBytes(o.dtype))
      throw new ShapeError(`${op}: output ${i} buffer is too small`);
  });
}
