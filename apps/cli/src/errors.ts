import { OcellusError } from '@ocellus/core';

/** An error the CLI raises itself, with the exit code it stands for. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad arguments: main prints the message and the usage to stderr and exits 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/**
 * Whether `err` is one of core's errors. Besides instanceof, the stable `code` is checked: a backend
 * package loaded through the other module format (ESM vs CJS) throws another copy of the classes.
 */
export function isOcellusError(err: unknown): err is OcellusError {
  if (err instanceof OcellusError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_OCELLUS_');
}
