import { OcellusError, UnknownOpError } from '../errors.js';
import type { OpSchema } from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: schemas of every attribute type live in one table
type AnySchema = OpSchema<any>;
const OPS = new Map<string, AnySchema>();

/** Adds an op to the op set. Core registers its own; later packages add neural-network and custom ops. */
export function registerOp(schema: AnySchema): void {
  const existing = OPS.get(schema.name);
  if (existing && existing !== schema) {
    throw new OcellusError('ERR_OCELLUS_OP_EXISTS', `op '${schema.name}' is already in the op set`);
  }
  OPS.set(schema.name, schema);
}

export function getOp(name: string): AnySchema {
  const schema = OPS.get(name);
  if (!schema) throw new UnknownOpError(`unknown op '${name}': the op set has ${[...OPS.keys()].sort().join(', ')}`);
  return schema;
}

export function listOps(): AnySchema[] {
  return [...OPS.values()];
}
