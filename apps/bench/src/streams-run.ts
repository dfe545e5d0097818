import { type Priority, Scheduler, openDevice } from '@ocellus/core';
import type { VideoFrame } from '@ocellus/video';
import {
  type OpenedStream,
  RoleSamples,
  type Workload,
  closeWorkload,
  cpuMeter,
  openWorkload,
} from './streams-workload.js';

/** What a lane (or the naive loop) runs per frame: a pipeline's run(), or a simulated device's sleep. */
export interface FrameRunner {
  run(pixels: { data: Uint8Array; width: number; height: number; channels: number }): Promise<unknown>;
}

export interface RunMeasure {
  frames: number;
  wallMs: number;
  dropped: number;
  droppedBySource: number;
  droppedByScheduler: number;
  latencies: RoleSamples['latencies'];
  /** Machine CPU busy over the run, 0..1 of all cores. */
  cpuBusy: number;
  lanes?: { id: string; done: number; runP50Ms: number; waitP50Ms: number }[];
}

const pixelsOf = (f: VideoFrame) => ({ data: f.data, width: f.width, height: f.height, channels: 3 });
const PRIORITY: Record<OpenedStream['role'], Priority> = { realtime: 'realtime', batch: 'batch' };

async function finish(streams: readonly OpenedStream[], samples: RoleSamples, t0: number, busy: () => number) {
  const wallMs = performance.now() - t0;
  const cpuBusy = busy();
  await closeWorkload(streams);
  // closed first: a live source counts the frames still buffered at close() as dropped
  const droppedBySource = streams.reduce((n, s) => n + s.source.stats().dropped, 0);
  return {
    frames: samples.frames,
    wallMs,
    dropped: droppedBySource + samples.schedulerDropped,
    droppedBySource,
    droppedByScheduler: samples.schedulerDropped,
    latencies: samples.latencies,
    cpuBusy,
  } as RunMeasure;
}

/** The naive loop: one frame at a time, round robin over the sources: read, run, await, next. */
export async function runNaive(w: Workload, runner: FrameRunner): Promise<RunMeasure> {
  const streams = await openWorkload(w);
  const samples = new RoleSamples();
  const busy = cpuMeter();
  const t0 = performance.now();
  try {
    const active = new Set(streams);
    // until the batch files are done: the realtime source alone would just idle at its frame rate
    while ([...active].some((s) => s.role === 'batch')) {
      for (const s of [...active]) {
        const frame = await s.next();
        if (frame === null) {
          active.delete(s);
          continue;
        }
        await runner.run(pixelsOf(frame));
        samples.record(s.role, frame);
      }
    }
    return await finish(streams, samples, t0, busy);
  } finally {
    await closeWorkload(streams);
  }
}

export interface LaneSpec {
  readonly id: string;
  readonly device: string;
  readonly runner: FrameRunner;
}

/**
 * The same workload through one Scheduler over `lanes`: the realtime source submits every frame at once
 * (queue of 2, drop-oldest), each batch source keeps 2 frames per lane in flight and reads the next when
 * the oldest is done.
 */
export async function runScheduled(w: Workload, lanes: readonly LaneSpec[]): Promise<RunMeasure> {
  const scheduler = new Scheduler<FrameRunner>({ retries: 0, checkIntervalMs: Number.POSITIVE_INFINITY });
  const devices = [];
  try {
    for (const l of lanes) {
      const device = await openDevice(l.device, { discover: false });
      devices.push(device);
      scheduler.addLane({ id: l.id, device, state: l.runner });
    }
    const streams = await openWorkload(w);
    const samples = new RoleSamples();
    const busy = cpuMeter();
    const t0 = performance.now();
    try {
      const window = 2 * lanes.length;
      let batchLeft = streams.filter((s) => s.role === 'batch').length;
      await Promise.all(
        streams.map(async (s, i) => {
          const submitter = `s${i}`;
          if (s.role === 'realtime') scheduler.setPolicy(submitter, { maxQueue: 2, onFull: 'drop-oldest' });
          const inFlight: Promise<void>[] = [];
          const more = () => s.role === 'batch' || batchLeft > 0;
          for (let frame = await s.next(); frame !== null && more(); frame = await s.next()) {
            const f = frame;
            const job = scheduler
              .submit((lane) => lane.state.run(pixelsOf(f)), { priority: PRIORITY[s.role], submitter })
              .then(
                () => samples.record(s.role, f),
                (err: unknown) => {
                  if ((err as { code?: string }).code !== 'ERR_OCELLUS_JOB_DROPPED') throw err;
                  samples.schedulerDropped++;
                },
              );
            inFlight.push(job);
            job.catch(() => {});
            if (s.role === 'batch') while (inFlight.length >= window) await inFlight.shift();
          }
          await Promise.all(inFlight);
          if (s.role === 'batch') batchLeft--;
        }),
      );
      const result = await finish(streams, samples, t0, busy);
      const laneStats = scheduler.stats().lanes;
      result.lanes = laneStats.map((l) => ({ id: l.id, done: l.done, runP50Ms: l.run.p50, waitP50Ms: l.wait.p50 }));
      return result;
    } finally {
      await closeWorkload(streams);
    }
  } finally {
    await scheduler.close();
    await Promise.allSettled(devices.map((d) => d.close()));
  }
}
