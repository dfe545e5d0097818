import type { TensorView } from '../backend/plugin.js';
import type { OpSchema } from '../ops/schema.js';

/** A CPU reference kernel: reads inputs, writes the preallocated outputs, synchronously. */
export interface CpuKernel<A extends object = Record<string, unknown>> {
  readonly op: string;
  run(inputs: readonly TensorView[], outputs: readonly TensorView[], attrs: A): void;
}

export function defineCpuKernel<A extends object>(
  schema: OpSchema<A>,
  run: (inputs: readonly TensorView[], outputs: readonly TensorView[], attrs: A) => void,
): CpuKernel<A> {
  return { op: schema.name, run };
}
