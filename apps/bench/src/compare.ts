import type { BenchResults } from './bench-results.js';
import { grid, ms, rate } from './models-report.js';

/**
 * `pnpm bench compare A.json B.json`: the cells of both runs matched by id, with B / A for the p50
 * latency (below 1x B is faster) and the images/s (above 1x B is faster). Cells in one run only, or
 * not measured in one of them, say so.
 */
export function compareResults(a: BenchResults, b: BenchResults, nameA = 'A', nameB = 'B'): string {
  const ids = [...new Set([...a.cells.map((c) => c.id), ...b.cells.map((c) => c.id)])];
  const rows = ids.map((id) => {
    const ca = a.cells.find((c) => c.id === id);
    const cb = b.cells.find((c) => c.id === id);
    if (!ca || !cb) return [id, ca ? 'only in A' : 'only in B'];
    if (ca.status !== 'ok' || cb.status !== 'ok' || !ca.latency || !cb.latency)
      return [id, `A ${ca.status}, B ${cb.status}`];
    return [
      id,
      ms(ca.latency.p50Ms),
      ms(cb.latency.p50Ms),
      `${(cb.latency.p50Ms / ca.latency.p50Ms).toFixed(2)}x`,
      rate(ca.imagesPerSecond ?? 0),
      rate(cb.imagesPerSecond ?? 0),
      `${((cb.imagesPerSecond ?? 0) / (ca.imagesPerSecond ?? 1)).toFixed(2)}x`,
    ];
  });
  const machines = [a, b].map(
    (r, i) =>
      `${i ? 'B' : 'A'} = ${i ? nameB : nameA}: ${r.environment.cpu}, ${r.environment.cores} cores, ` +
      `${r.environment.date}, load ${r.environment.load.toFixed(2)}`,
  );
  const warn =
    a.schemaVersion !== b.schemaVersion
      ? [`warning: schema versions differ (${a.schemaVersion} vs ${b.schemaVersion})`]
      : [];
  return [
    ...machines,
    ...warn,
    '',
    grid(['cell', 'A p50 ms', 'B p50 ms', 'B/A p50', 'A img/s', 'B img/s', 'B/A img/s'], rows, 1),
    '',
    'B/A p50 below 1x: B is faster; B/A img/s above 1x: B is faster. Compare runs of the same machine only.',
  ].join('\n');
}
