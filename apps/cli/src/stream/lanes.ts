import { availableParallelism } from 'node:os';
import { Scheduler } from '@ocellus/core';
import type { ModelName } from '@ocellus/models';
import type { Io } from '../io.js';
import { reportSkipped } from '../device.js';
import { type WeightsChoice, loadPipeline } from '../model-options.js';
import { type LanePipeline, createLanePipeline } from './pipeline.js';

export interface OpenedLanes {
  readonly scheduler: Scheduler<LanePipeline>;
  readonly pipelines: readonly LanePipeline[];
  /** Closes the scheduler (queued jobs rejected, running ones awaited), then disposes every pipeline. */
  close(): Promise<void>;
}

/**
 * One pipeline per lane spec, each loaded on its own device, bound to one scheduler lane (`lane0`,
 * `lane1`...). The cores but one are shared out among the lanes for onnxruntime's threads. On a load
 * failure everything opened so far is disposed and the error passes on.
 */
export async function openLanes(
  specs: readonly string[],
  model: ModelName,
  weights: string | Uint8Array,
  choice: WeightsChoice,
  io: Io,
): Promise<OpenedLanes> {
  const threadsPerSession = Math.max(1, Math.floor((availableParallelism() - 1) / specs.length));
  const pipelines: LanePipeline[] = [];
  const scheduler = new Scheduler<LanePipeline>({ retries: 1 });
  const close = async () => {
    await scheduler.close();
    await Promise.allSettled(pipelines.map((p) => p.dispose()));
  };
  try {
    for (const [i, backend] of specs.entries()) {
      const pipeline = createLanePipeline({ model, weights, backend, threadsPerSession });
      pipelines.push(pipeline);
      await loadPipeline(pipeline, choice);
      // once per spec: a second lane on the same spec skipped the same backends
      if (specs.indexOf(backend) === i) reportSkipped(pipeline.device, io);
      scheduler.addLane({ id: `lane${i}`, device: pipeline.device!, state: pipeline });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { scheduler, pipelines, close };
}
