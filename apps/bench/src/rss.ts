import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process, sampled every `intervalMs` from /proc/<pid>/status (Linux), so a
 * process whose event loop is blocked (onnxruntime-node's run() blocks it) is still sampled: the
 * sampler runs in another process, the benchmark's parent.
 */

export interface RssReport {
  /** Highest VmRSS seen, bytes; undefined when nothing could be sampled (no /proc, or the process ended first). */
  readonly peakBytes: number | undefined;
  readonly samples: number;
  readonly intervalMs: number;
}

export interface RssSampler {
  stop(): RssReport;
}

/** VmRSS of `pid` in bytes, or undefined when it cannot be read. */
export function readRss(pid: number): number | undefined {
  try {
    return parseStatusKb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
  } catch {
    return undefined;
  }
}

/** A `Key:   1234 kB` line of /proc/<pid>/status, in bytes. */
export function parseStatusKb(status: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peak: number | undefined;
  let samples = 0;
  const take = () => {
    const rss = readRss(pid);
    if (rss === undefined) return;
    samples++;
    peak = Math.max(peak ?? 0, rss);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakBytes: peak, samples, intervalMs };
    },
  };
}
