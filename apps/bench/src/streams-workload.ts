import { readFileSync } from 'node:fs';
import { type VideoFrame, type VideoSource, openVideoSource } from '@ocellus/video';

/**
 * The streams benchmark's workload: source 0 is the realtime one, read as a live camera (paced at its
 * frame rate by ffmpeg's -re, drop-oldest buffer; its clip is longer than the run), the others are batch
 * files of `frames` frames read as fast as they are consumed (backpressure, nothing dropped). A run
 * lasts until the batch files are done, so the machine is saturated throughout.
 */
export interface Workload {
  readonly clips: readonly string[];
  /** Frames per batch clip. */
  readonly frames: number;
}

export type Role = 'realtime' | 'batch';

export interface OpenedStream {
  readonly source: VideoSource;
  readonly role: Role;
  readonly total: number;
  /** The next frame of this clip, or null after its last (a live read stops at the clip's end). */
  next(): Promise<VideoFrame | null>;
}

export async function openWorkload(w: Workload): Promise<OpenedStream[]> {
  const opened: OpenedStream[] = [];
  try {
    for (const [i, clip] of w.clips.entries()) {
      const role: Role = i === 0 ? 'realtime' : 'batch';
      const source = await openVideoSource(clip, role === 'realtime' ? { live: true, inputArgs: ['-re'] } : {});
      opened.push({
        source,
        role,
        total: w.frames,
        async next() {
          const frame = await source.read();
          // a live source would reconnect at its file's end: stop there
          if (source.stats().reconnects > 0) return null;
          return frame;
        },
      });
    }
  } catch (err) {
    await closeWorkload(opened);
    throw err;
  }
  return opened;
}

export async function closeWorkload(streams: readonly OpenedStream[]): Promise<void> {
  await Promise.allSettled(streams.map((s) => s.source.close()));
}

/** Per role: latencies (result time - frame arrival, ms) and counts. */
export class RoleSamples {
  readonly latencies: Record<Role, number[]> = { realtime: [], batch: [] };
  frames = 0;
  schedulerDropped = 0;

  record(role: Role, frame: VideoFrame): void {
    this.frames++;
    this.latencies[role].push(performance.now() - frame.receivedAtMs);
  }
}

/** Machine-wide CPU busy fraction (0..1 of all cores) between two /proc/stat readings. */
export function cpuMeter(): () => number {
  const read = (): [number, number] => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      const idle = f[3]! + (f[4] ?? 0);
      return [f.reduce((a, b) => a + b, 0), idle];
    } catch {
      return [0, 0];
    }
  };
  const [t0, i0] = read();
  return () => {
    const [t1, i1] = read();
    return t1 > t0 ? 1 - (i1 - i0) / (t1 - t0) : Number.NaN;
  };
}
