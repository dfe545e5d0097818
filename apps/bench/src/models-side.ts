import type { BenchModel } from './models-options.js';
import type { Measured } from './models-report.js';
import type { LatencyStats, ThroughputStats } from './models-stats.js';

/** What the parent tells a child process to load: one side of one model. */
export interface SideSpec {
  readonly side: 'raw' | 'pipeline';
  readonly model: BenchModel;
  /** The .onnx file both sides read. */
  readonly modelPath: string;
  readonly imagePath: string;
  readonly threads: number;
  /** Pipeline only: run from the file path (decoding included). */
  readonly decode: boolean;
  /** Pipeline only: the core device spec its preprocessing runs on (default 'cpu'). */
  readonly backend?: string;
}

/** The pipeline device's memory counters (core's MemoryStats, the fields the bench reads). */
export interface DeviceCounters {
  readonly allocatedBytes: number;
  readonly peakBytes: number;
  readonly uploads: number;
  readonly downloads: number;
  readonly uploadBytes: number;
  readonly downloadBytes: number;
}

/** What a 'cell' request measured on the device: sampled every 100 ms in the child, and the counters' deltas. */
export interface DeviceCellStats {
  /** The device's name and backend ('cpu:0 ...'). */
  readonly device: string;
  /** Highest allocatedBytes seen by the 100 ms sampler (and at the start and end of the block). */
  readonly sampledPeakBytes: number;
  /** The context's own high-water mark (peakBytes) at the end of the block: since the device opened. */
  readonly contextPeakBytes: number;
  readonly samples: number;
  readonly uploads: number;
  readonly downloads: number;
  readonly uploadBytes: number;
  readonly downloadBytes: number;
}

/** One side, loaded, as the child process drives it. Timing is done around these calls. */
export interface SideRunner {
  /** Session creation (raw) or createX + load (pipeline), ms. */
  readonly loadMs: number;
  readonly notes: readonly string[];
  /** The first inference call after loading (cold: lazy allocations, first-run graph work), ms. */
  readonly coldMs?: number;
  /** Pipeline only: the device its preprocessing runs on, and its memory counters now. */
  deviceMemory?(): { device: string; counters: DeviceCounters } | undefined;
  /** One batch-1 call. */
  once(): Promise<void>;
  /** One call of `batch` images. */
  batch(batch: number): Promise<void>;
  /** Pipeline only: replace the pipeline by one with this many sessions x threads. */
  setLayout?(sessions: number, threadsPerSession: number): Promise<void>;
  /** Pipeline only: its preprocessing of one image, alone. */
  preprocess?(): void | Promise<void>;
  /** Pipeline only, last: its session pool alone on the prepared input, `calls` timed calls (ms each). */
  poolOnly?(calls: number): Promise<number[]>;
  dispose(): Promise<void>;
}

/** Requests from the parent to a child, and the child's answers (over the IPC channel). */
export type ChildRequest =
  | { readonly op: 'latency'; readonly calls: number; readonly warmup: number }
  | {
      readonly op: 'throughput';
      readonly calls: number;
      readonly concurrency: number;
      readonly batch: number;
      readonly warmup: number;
    }
  | { readonly op: 'layout'; readonly sessions: number; readonly threadsPerSession: number }
  | {
      readonly op: 'cell';
      readonly calls: number;
      readonly durationMs?: number;
      readonly concurrency: number;
      readonly batch: number;
      readonly warmup: number;
    }
  | { readonly op: 'preprocess'; readonly calls: number }
  | { readonly op: 'pool'; readonly calls: number }
  | { readonly op: 'finish' };

export type ChildAnswer =
  | {
      readonly ok: 'ready';
      readonly loadMs: number;
      readonly coldMs?: number;
      readonly device?: string;
      readonly notes: readonly string[];
    }
  | { readonly ok: 'cell'; readonly stats: ThroughputStats; readonly device?: DeviceCellStats }
  | { readonly ok: 'latency'; readonly samplesMs: number[] }
  | { readonly ok: 'throughput'; readonly stats: ThroughputStats }
  | { readonly ok: 'done' }
  | { readonly ok: 'finished'; readonly maxRssBytes: number }
  | { readonly error: string };

export const TASK: Record<BenchModel, 'classification' | 'detection'> = {
  resnet50: 'classification',
  mobilenetv3: 'classification',
  yolov8s: 'detection',
};

/** The sessions x threads that serve concurrent requests: 2 sessions sharing the threads. */
export function concurrentLayout(threads: number): { sessions: number; threadsPerSession: number } {
  return { sessions: 2, threadsPerSession: Math.max(1, Math.floor(threads / 2)) };
}

/** Timed calls of a batch: enough to cover `iterations` images, at least two. */
export function batchCalls(iterations: number, batch: number): number {
  return Math.max(2, Math.ceil(iterations / batch));
}

/** Calls back to back, one at a time, as a throughput: images / total time. */
export function sequentialThroughput(latency: LatencyStats): ThroughputStats {
  const wallMs = latency.samplesMs.reduce((a, b) => a + b, 0);
  return { concurrency: 1, batch: 1, calls: latency.n, wallMs, imagesPerSecond: (latency.n * 1000) / wallMs, latency };
}

/** Two throughput blocks of the same kind as one: their calls over their summed wall time. */
export function mergeThroughput(a: ThroughputStats, b: ThroughputStats, latency: LatencyStats): ThroughputStats {
  const calls = a.calls + b.calls;
  const wallMs = a.wallMs + b.wallMs;
  return {
    concurrency: a.concurrency,
    batch: a.batch,
    calls,
    wallMs,
    imagesPerSecond: (calls * a.batch * 1000) / wallMs,
    latency,
  };
}

/** Runs `fn`, turning a throw into a Failure so one broken measurement does not lose the others. */
export async function attempt<T extends object>(fn: () => Promise<T>): Promise<Measured<T>> {
  try {
    return await fn();
  } catch (err) {
    return { error: firstLine(err) };
  }
}

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
