import type { OpCell } from './bench-results.js';
import { CASES, type Peer } from './cases.js';
import { loadBenchImage } from './image.js';
import { ocellusPeer } from './peers/ocellus.js';
import { openCvPeer } from './peers/opencv.js';
import { sharpPeer } from './peers/sharp.js';
import { type TimingOptions, measure } from './timing.js';

/**
 * The ops benchmark's comparison (the same peers, the same 1920x1080 input, op by op, every library in
 * turn) as cells for results.json: Ocellus-CPU, opencv.js and sharp, with Ocellus / library ratios.
 */
export async function runOps(
  timing: TimingOptions,
  imagePath?: string,
): Promise<{ cells: OpCell[]; image: string; notes: string[] }> {
  const img = await loadBenchImage(imagePath);
  const names = ['Ocellus-CPU', 'opencv.js', 'sharp'];
  const setups = await Promise.allSettled([
    ocellusPeer(img),
    openCvPeer(img),
    Promise.resolve().then(() => sharpPeer(img)),
  ]);
  const peers: (Peer | string)[] = setups.map((s) =>
    s.status === 'fulfilled' ? s.value : `could not load: ${String(s.reason)}`,
  );
  const cells: OpCell[] = [];
  for (const { id } of CASES) {
    let ours: number | undefined;
    for (const [i, peer] of peers.entries()) {
      const library = names[i]!;
      if (typeof peer === 'string') {
        cells.push({ op: id, library, status: 'error', reason: peer });
        continue;
      }
      const op = peer.ops[id];
      if (typeof op === 'string') {
        cells.push({ op: id, library, status: 'n/a', reason: `${op}: ${library} has no such op` });
        continue;
      }
      try {
        const s = await measure(op, timing);
        if (i === 0) ours = s.medianMs;
        cells.push({
          op: id,
          library,
          status: 'ok',
          medianMs: s.medianMs,
          p90Ms: s.p90Ms,
          minMs: s.minMs,
          iterations: s.iterations,
          ...(i > 0 && ours !== undefined ? { ocellusRatio: ours / s.medianMs } : {}),
        });
      } catch (err) {
        cells.push({ op: id, library, status: 'error', reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  const loaded = peers.filter((p): p is Peer => typeof p !== 'string');
  for (const p of loaded) await p.close();
  return {
    cells,
    image: img.source,
    notes: [...loaded.map((p) => `${p.name}: ${p.version}`), ...loaded.flatMap((p) => p.notes)],
  };
}
