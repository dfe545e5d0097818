import { type ParseArgsConfig, parseArgs } from 'node:util';
import { checkOutputPath, formatFromPath } from '@ocellus/core';
import { CliError, UsageError } from './errors.js';

/**
 * Argument parsing shared by every command: node:util parseArgs in strict mode, its errors and every
 * check below turned into UsageErrors (exit 2), so all commands reject bad input the same way and
 * before doing any work.
 */

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--backend`, taken by every command that opens a device, and `--max-pixels`, the image size limit
 * (core's default, 100 Mpx, when not given) of every command that reads images.
 */
export const BACKEND_OPTION = {
  backend: { type: 'string', default: 'auto' },
  'max-pixels': { type: 'string' },
} as const;

/** `--max-pixels N`: undefined (core's default) when not given. */
export function maxPixelsOption(command: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  return numberOption(command, 'max-pixels', raw, 0, { min: 1, max: 2 ** 31 - 1, integer: true });
}

export interface PositionalSpec {
  /** Names for messages, in order, e.g. ['<image>']. */
  readonly names: readonly string[];
  /** How many of them must be given. */
  readonly required: number;
  /** The last name may be repeated (`<images...>`): no limit on the count. */
  readonly variadic?: boolean;
}

/** What parseArgs returns for a command's options: `values` typed from the option table. */
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

export function parseCommand<O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
  positionals: PositionalSpec,
): ParsedCommand<O> {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${command}: ${parseArgsMessage(err)}`);
  }
  const given = parsed.positionals;
  if (given.length < positionals.required) {
    throw new UsageError(`${command}: missing ${positionals.names[given.length]}`);
  }
  if (!positionals.variadic && given.length > positionals.names.length) {
    throw new UsageError(`${command}: unexpected argument '${given[positionals.names.length]}'`);
  }
  return parsed;
}

/** parseArgs' messages go on with advice about '--' that does not help here: keep the first sentence. */
function parseArgsMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(msg);
  if (ambiguous) {
    const option = ambiguous[1]!.split(', ').at(-1)!.split(' ')[0]!;
    return `${option} needs a value, and what follows it starts with '-' (write ${option}=-5 for a negative value)`;
  }
  return msg.split(/\.\s/)[0]!.replace(/\.$/, '');
}

export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** A numeric option: absent gives the default; anything but a finite number in range is a usage error. */
export function numberOption(
  command: string,
  name: string,
  raw: string | undefined,
  fallback: number,
  rule: NumberRule = {},
): number {
  if (raw === undefined) return fallback;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${command}: --${name} must be a number, got '${raw}'`);
  if (rule.integer && !Number.isInteger(value))
    throw new UsageError(`${command}: --${name} must be an integer, got '${raw}'`);
  if (rule.min !== undefined && value < rule.min)
    throw new UsageError(`${command}: --${name} must be at least ${rule.min}, got ${raw}`);
  if (rule.max !== undefined && value > rule.max)
    throw new UsageError(`${command}: --${name} must be at most ${rule.max}, got ${raw}`);
  return value;
}

/** `-o`: required, and its extension must name a format core can write, checked before any work. */
export function outputOption(command: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new UsageError(`${command}: missing -o <out.png>`);
  if (raw.startsWith('-')) {
    throw new UsageError(
      `${command}: -o needs a file name, got the option '${raw}' (write -o ./${raw} for such a file)`,
    );
  }
  try {
    formatFromPath(raw);
  } catch {
    throw new UsageError(`${command}: cannot tell the image format of '${raw}': use a .png, .jpg, .jpeg or .webp name`);
  }
  checkDestination(raw, 'image');
  return raw;
}

/** The output's directory exists and the path is no directory: checked before any work, exit 1 naming it. */
export function checkDestination(path: string, what: string): void {
  try {
    checkOutputPath(path, what);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

const DEVICE_SPEC = /^[a-z][a-z0-9-]*(?::\d+)?$/;

/**
 * `--backend` syntax as core's selectBackend reads it: 'auto', 'name', 'name:index' or a comma chain.
 * Returns the spec without stray spaces; whether its backends exist is checked once they are discovered.
 */
export function backendOption(command: string, raw: string): string {
  const spec = raw.trim();
  if (spec === 'auto') return spec;
  const parts = spec.split(',').map((p) => p.trim());
  // 'auto' already means "every backend by priority", so it is not a link of a chain.
  if (spec === '' || !parts.every((p) => DEVICE_SPEC.test(p) && p !== 'auto')) {
    throw new UsageError(
      `${command}: invalid --backend '${raw}': use auto, a backend like cpu, a device like vulkan:1, or a ` +
        'chain like vulkan,cpu',
    );
  }
  return parts.join(',');
}

/** The backend names in a checked spec ('vulkan:1,cpu' -> ['vulkan', 'cpu']); none for 'auto'. */
export function backendNames(spec: string): string[] {
  return spec === 'auto' ? [] : spec.split(',').map((p) => p.split(':')[0]!);
}
