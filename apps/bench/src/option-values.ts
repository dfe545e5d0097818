/** Checks and converts of command-line values, shared by the benchmarks' option parsers. */

/** `raw` as an integer >= min, or `fallback` when the option was not given. */
export function integer(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/** A comma-separated list of positive integers, deduplicated and sorted. */
export function integerList(flag: string, raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  return [...new Set(raw.split(',').map((s) => integer(flag, s, 0, 1)))].sort((a, b) => a - b);
}

/** A comma-separated list of known names, deduplicated, in the order given. */
export function nameList<T extends string>(
  flag: string,
  raw: string | undefined,
  known: readonly T[],
  fallback: T[],
): T[] {
  if (raw === undefined) return fallback;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(known as readonly string[]).includes(n));
  if (names.length === 0 || bad.length > 0)
    throw new Error(`${flag} takes a comma-separated list of ${known.join(', ')}, got '${raw}'`);
  return [...new Set(names)] as T[];
}
