import type { SourceCounters } from './stats.js';
import { percentile } from '@ocellus/core';

/** What the status line shows of one source. */
export interface StatusSource {
  readonly counters: SourceCounters;
  /** The source's own drop count so far. */
  dropped(): number;
}

/**
 * On a terminal: one status line per source (results/s over the last period, latency p50 of the last
 * 100 results, drops), drawn at once, then redrawn in place every `periodMs`; `stop()` erases them.
 * Nothing at all when the stream is not a TTY.
 */
export function startStatus(
  stderr: { write(text: string): unknown; isTTY?: boolean },
  sources: readonly StatusSource[],
  periodMs = 500,
): { stop(): void } {
  if (!stderr.isTTY || sources.length === 0) return { stop() {} };
  let drawn = 0;
  let last = { at: performance.now(), frames: sources.map((s) => s.counters.frames) };
  const erase = () => {
    if (drawn > 0) stderr.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    const at = performance.now();
    const lines = sources.map((s, i) => {
      const c = s.counters;
      const fps = ((c.frames - last.frames[i]!) * 1000) / Math.max(1, at - last.at);
      const p50 = percentile(c.latencies.slice(-100), 50);
      const drops = s.dropped() + c.schedulerDropped;
      return `${c.source}: ${c.frames} frames, ${fps.toFixed(1)} fps, latency ${p50.toFixed(0)} ms, ${drops} dropped`;
    });
    last = { at, frames: sources.map((s) => s.counters.frames) };
    erase();
    stderr.write(lines.map((l) => `\x1b[2K${l}\n`).join(''));
    drawn = lines.length;
  };
  draw();
  const timer = setInterval(draw, periodMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      erase();
    },
  };
}
