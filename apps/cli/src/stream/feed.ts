import { JobDroppedError, type Priority, type Scheduler } from '@ocellus/core';
import type { VideoFrame, VideoSource } from '@ocellus/video';
import type { FrameResult, LanePipeline } from './pipeline.js';

/** A frame and what became of it: a result, or dropped by the scheduler's queue policy. */
export type FrameOutcome =
  | { readonly frame: VideoFrame; readonly result: FrameResult; readonly doneMs: number }
  | { readonly frame: VideoFrame; readonly dropped: true };

export interface FeedOptions {
  readonly scheduler: Scheduler<LanePipeline>;
  readonly submitter: string;
  readonly priority: Priority;
  /** Frames of a file in flight at once (submitted, not yet emitted); live sources are never held back. */
  readonly window: number;
  readonly maxFrames: number | undefined;
  readonly signal: AbortSignal;
  /** Called once per frame, in frame order, one at a time. */
  emit(outcome: FrameOutcome): void | Promise<void>;
}

/**
 * Reads `source` until its end, `maxFrames` or the signal, submitting one job per frame. A file keeps at
 * most `window` frames in flight and reads the next only when the oldest is out, so no frame is lost; a
 * live source is read as fast as it comes (its own buffer and the scheduler's drop-oldest policy shed
 * the excess). Every submitted frame is awaited before this returns; a job's error ends the feed.
 */
export async function feedSource(source: VideoSource, o: FeedOptions): Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  const window: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  let read = 0;
  try {
    while (!o.signal.aborted && failure === undefined && (o.maxFrames === undefined || read < o.maxFrames)) {
      const frame = await source.read();
      if (frame === null || o.signal.aborted) break;
      read++;
      const job = submitFrame(frame, o);
      const emitted = (chain = chain.then(() => job).then((outcome) => o.emit(outcome)));
      emitted.catch((error: unknown) => {
        failure ??= { error };
      });
      if (source.live) continue;
      window.push(emitted);
      while (window.length >= o.window) await window.shift();
    }
  } finally {
    await source.close();
    // what is in flight finishes (or fails) before the feed ends: never a job left behind
    await chain.catch(() => {});
  }
  if (failure !== undefined) throw failure.error;
}

function submitFrame(frame: VideoFrame, o: FeedOptions): Promise<FrameOutcome> {
  const pixels = { data: frame.data, width: frame.width, height: frame.height, channels: 3 };
  const job = o.scheduler.submit((lane) => lane.state.run(pixels), { priority: o.priority, submitter: o.submitter });
  return job.then(
    ({ result }) => ({ frame, result, doneMs: performance.now() }),
    (err: unknown) => {
      const dropped = err instanceof JobDroppedError || (err as { code?: unknown }).code === JobDroppedError.CODE;
      if (dropped) return { frame, dropped: true as const };
      throw err;
    },
  );
}
