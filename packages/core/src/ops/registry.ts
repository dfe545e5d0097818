import { OcellusError, UnknownOpError } from '../errors.js';
import { processGlobal } from '../global.js';
import type { OpSchema } from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: schemas of every attribute type live in one table
type AnySchema = OpSchema<any>;
const OPS = processGlobal('ops', () => new Map<string, AnySchema>());

/** Adds an op to the op set. Core registers its own; later packages add neural-network and custom ops. */
export function registerOp(schema: AnySchema): void {
  const existing = OPS.get(schema.name);
  // A second copy of core registers its own (equal) schemas: same name and same attributes is fine.
  if (existing && existing !== schema && !sameSchema(existing, schema)) {
    throw new OcellusError('ERR_OCELLUS_OP_EXISTS', `op '${schema.name}' is already in the op set`);
  }
  OPS.set(schema.name, schema);
}

function sameSchema(a: AnySchema, b: AnySchema): boolean {
  return (
    a.doc === b.doc &&
    JSON.stringify(a.attrs) === JSON.stringify(b.attrs) &&
    JSON.stringify(a.inputs) === JSON.stringify(b.inputs)
  );
}

export function getOp(name: string): AnySchema {
  const schema = OPS.get(name);
  if (!schema) throw new UnknownOpError(`unknown op '${name}': the op set has ${[...OPS.keys()].sort().join(', ')}`);
  return schema;
}

export function listOps(): AnySchema[] {
  return [...OPS.values()];
}
