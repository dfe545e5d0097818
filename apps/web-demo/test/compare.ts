/** How two byte arrays differ: the count of differing bytes and the first one, for a readable failure. */
export function byteDifferences(actual: Uint8Array, expected: Uint8Array): { mismatches: number; first?: string } {
  if (actual.length !== expected.length) {
    return {
      mismatches: Math.max(actual.length, expected.length),
      first: `length ${actual.length} != ${expected.length}`,
    };
  }
  let mismatches = 0;
  let first: string | undefined;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === expected[i]) continue;
    mismatches++;
    first ??= `byte ${i}: ${actual[i]} != ${expected[i]}`;
  }
  return first === undefined ? { mismatches } : { mismatches, first };
}
