import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { type Shape, formatShape } from '../tensor/shape.js';

/** An attribute's type, default and range: enough to validate a call and to document the op. */
export type AttrSpec =
  | { type: 'int'; default?: number; min?: number; max?: number; oneOf?: readonly number[]; odd?: boolean; doc: string }
  | { type: 'float'; default?: number; min?: number; max?: number; doc: string }
  | { type: 'bool'; default?: boolean; doc: string }
  | { type: 'enum'; default?: string; oneOf: readonly string[]; doc: string }
  | { type: 'floats'; default?: readonly number[]; minLength?: number; maxLength?: number; doc: string };

export interface InputSpec {
  readonly name: string;
  readonly dtypes: readonly DType[];
  /** Required rank, if any. */
  readonly rank?: number;
  /** Allowed sizes of the last dimension (channels of an HWC image), if restricted. */
  readonly channels?: readonly number[];
  readonly doc: string;
}

export interface TensorSpec {
  readonly dtype: DType;
  readonly shape: Shape;
}

/**
 * An op of the op set, as data: name, inputs, attributes with defaults, dtypes and its shape rule.
 * Backends implement kernels against this; core validates every call against it first.
 */
export interface OpSchema<A extends object = Record<string, unknown>> {
  readonly name: string;
  readonly doc: string;
  readonly inputs: readonly InputSpec[];
  readonly attrs: { readonly [K in keyof A]-?: AttrSpec };
  /** The shape rule: output dtypes and shapes from input specs and complete attributes. Throws ShapeError. */
  outputs(inputs: readonly TensorSpec[], attrs: A): TensorSpec[];
}

export function defineOp<A extends object>(schema: OpSchema<A>): OpSchema<A> {
  return Object.freeze(schema);
}

/** Fills defaults and checks types and ranges; unknown attribute names are refused (they are usually typos). */
export function resolveAttrs<A extends object>(schema: OpSchema<A>, given: Partial<A> | undefined): A {
  const out: Record<string, unknown> = {};
  const specs = schema.attrs as Record<string, AttrSpec>;
  const input = (given ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(specs, key) && input[key] !== undefined) {
      const known = Object.keys(specs);
      throw new AttributeError(
        `${schema.name}: unknown attribute '${key}'; it takes ${known.length ? known.join(', ') : 'no attributes'}`,
      );
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = input[key] === undefined ? spec.default : input[key];
    if (value === undefined) throw new AttributeError(`${schema.name}: attribute '${key}' is required (${spec.doc})`);
    out[key] = checkAttr(schema.name, key, spec, value);
  }
  return out as A;
}

function checkAttr(op: string, key: string, spec: AttrSpec, value: unknown): unknown {
  const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
  const bad = (why: string) => new AttributeError(`${op}: attribute '${key}' ${why}, got ${shown}`);
  switch (spec.type) {
    case 'int':
      if (!Number.isSafeInteger(value)) throw bad('must be an integer');
      checkRange(spec, value as number, bad);
      if (spec.oneOf && !spec.oneOf.includes(value as number)) throw bad(`must be one of ${spec.oneOf.join(', ')}`);
      if (spec.odd && (value as number) % 2 === 0) throw bad('must be odd');
      return value;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('must be a finite number');
      checkRange(spec, value, bad);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw bad('must be true or false');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.oneOf.includes(value))
        throw bad(`must be one of ${spec.oneOf.join(', ')}`);
      return value;
    case 'floats': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw bad('must be an array of finite numbers');
      }
      if (spec.minLength !== undefined && value.length < spec.minLength)
        throw bad(`needs at least ${spec.minLength} values`);
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        throw bad(`takes at most ${spec.maxLength} values`);
      return Object.freeze([...value]);
    }
  }
}

function checkRange(spec: { min?: number; max?: number }, v: number, bad: (why: string) => Error): void {
  if (spec.min !== undefined && v < spec.min) throw bad(`must be >= ${spec.min}`);
  if (spec.max !== undefined && v > spec.max) throw bad(`must be <= ${spec.max}`);
}

/** Checks inputs against the schema's input specs: count, dtype, rank, channels, and no empty image. */
export function checkInputs(schema: OpSchema<object>, inputs: readonly TensorSpec[]): void {
  if (inputs.length !== schema.inputs.length) {
    throw new ShapeError(`${schema.name}: takes ${schema.inputs.length} input(s), got ${inputs.length}`);
  }
  schema.inputs.forEach((spec, i) => {
    const t = inputs[i]!;
    const what = `${schema.name}: input '${spec.name}'`;
    if (!spec.dtypes.includes(t.dtype)) {
      throw new DTypeError(`${what} must be ${spec.dtypes.join(' or ')}, got ${t.dtype}`);
    }
    if (spec.rank !== undefined && t.shape.length !== spec.rank) {
      throw new ShapeError(`${what} must have rank ${spec.rank} (${spec.doc}), got shape ${formatShape(t.shape)}`);
    }
    if (spec.channels && !spec.channels.includes(t.shape[t.shape.length - 1]!)) {
      throw new ShapeError(
        `${what} must have ${spec.channels.join(' or ')} channel(s) in its last dimension (${spec.doc}), ` +
          `got shape ${formatShape(t.shape)}`,
      );
    }
    if (t.shape.some((d) => d === 0)) {
      throw new ShapeError(`${what} is empty (shape ${formatShape(t.shape)}): ${schema.name} needs at least one pixel`);
    }
  });
}

/** The input of the image ops: one uint8 HWC image with any of `channels` channels (1 to 4 unless restricted). */
export function imageInput(channels: readonly number[] = [1, 2, 3, 4]): InputSpec {
  return { name: 'image', dtypes: ['uint8'], rank: 3, channels, doc: 'HWC image' };
}

/** A width or height in pixels, 1 to 65536, for the ops that are told the size of their output. */
export function pixelSizeAttr(doc: string, byDefault?: number): AttrSpec {
  return { type: 'int', min: 1, max: 65536, ...(byDefault === undefined ? {} : { default: byDefault }), doc };
}

/** The [H, W, C] of an image tensor spec (validated by checkInputs). */
export function hwc(t: TensorSpec): [number, number, number] {
  return [t.shape[0]!, t.shape[1]!, t.shape[2]!];
}
