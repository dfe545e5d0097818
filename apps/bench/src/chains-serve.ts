import { chainsChild } from './chains-child.js';

/**
 * When this process was started as a chains child (`--chains-child SPEC`), run it, print its one JSON
 * line and return the exit code; otherwise undefined. Both bench entries call this first.
 */
export async function serveChainsChild(argv: readonly string[]): Promise<number | undefined> {
  if (argv[0] !== '--chains-child') return undefined;
  const answer = await chainsChild(JSON.parse(argv[1] ?? '{}') as { backend: string; iterations: number });
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  return 0;
}
