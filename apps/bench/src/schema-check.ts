/**
 * A validator for the subset of JSON Schema (draft 2020-12) that schema/results.schema.json uses:
 * type, required, properties, additionalProperties (a schema), items, enum, const, minimum,
 * exclusiveMinimum and local $ref (#/$defs/...). Any other keyword in a schema is an error, so the
 * schema cannot silently outgrow what is checked. Returns the errors, each with its JSON pointer.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  '$defs',
  'type',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'exclusiveMinimum',
  '$ref',
]);

export function validate(schema: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(schema, schema, value, '', errors);
  return errors;
}

function check(root: Schema, schema: Schema, value: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`schema-check: unsupported keyword '${k}' at ${path || '/'}`);
  if (typeof schema.$ref === 'string') {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]!] : undefined;
    if (!target) throw new Error(`schema-check: unresolved $ref '${schema.$ref}'`);
    check(root, target, value, path, errors);
  }
  const at = path || '/';
  if (schema.type !== undefined && !hasType(value, schema.type as string)) {
    errors.push(
      `${at}: expected ${schema.type}, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`,
    );
    return;
  }
  if ('const' in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && !(value >= schema.minimum))
      errors.push(`${at}: ${value} < minimum ${schema.minimum}`);
    if (typeof schema.exclusiveMinimum === 'number' && !(value > schema.exclusiveMinimum))
      errors.push(`${at}: ${value} <= exclusiveMinimum ${schema.exclusiveMinimum}`);
  }
  if (Array.isArray(value) && schema.items) {
    for (const [i, v] of value.entries()) check(root, schema.items as Schema, v, `${path}/${i}`, errors);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? [])
      if (!(r in obj)) errors.push(`${at}: missing required '${r}'`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) check(root, props[k], v, `${path}/${k}`, errors);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        check(root, schema.additionalProperties as Schema, v, `${path}/${k}`, errors);
      }
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`schema-check: unsupported type '${type}'`);
  }
}
