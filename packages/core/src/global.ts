/**
 * State that must be one per process even when @ocellus/core is loaded twice (its ESM and CJS builds,
 * or two installed copies): a backend package loaded as CommonJS must register into the same registry
 * the ESM caller selects from. Each slot lives on globalThis under a registered symbol.
 */
export function processGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`@ocellus/core/${name}`);
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  g[key] ??= create();
  return g[key]!;
}
