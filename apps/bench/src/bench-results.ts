/**
 * The shape of results.json, version SCHEMA_VERSION, described for other tools by
 * apps/bench/schema/results.schema.json (JSON Schema draft 2020-12). Bump the version on any change
 * a reader could trip on (a field renamed, removed or retyped); adding an optional field is not one.
 */
import type { ChainCell } from './chains-run.js';
import type { LatencyStats } from './models-stats.js';
import type { StreamsSection } from './streams-results.js';
/** 2: the optional `streams` section (video sources through the scheduler vs a naive loop). */
export const SCHEMA_VERSION = 2;

export type CellStatus = 'ok' | 'n/a' | 'error';

/** Latency of a cell as reported: the stats without their raw samples. */
export type LatencySummary = Omit<LatencyStats, 'samplesMs'>;

export interface ModelCell {
  /** `${model}/${engine}/${backend}/${precision}/b${batch}/c${concurrency}`: what `compare` matches on. */
  readonly id: string;
  readonly model: string;
  /** 'ocellus' (the pipeline), 'onnxruntime-node' (the raw loop, no Ocellus), 'tesseract'. */
  readonly engine: string;
  /** The core backend of the pipeline's preprocessing as asked ('cpu', 'vulkan'...); '-' for the raw loop. */
  readonly backend: string;
  /** The device that ran it, as opened ('cpu:0 ...'). */
  readonly device?: string;
  /** onnxruntime's execution provider. */
  readonly executionProvider?: string;
  readonly precision: string;
  readonly batch: number;
  readonly concurrency: number;
  readonly status: CellStatus;
  /** Why there are no numbers (status n/a or error). */
  readonly reason?: string;
  /** The first inference call after loading, ms (not in the latency figures). */
  readonly coldMs?: number;
  /** Model load (session creation, or createX + load), ms. */
  readonly loadMs?: number;
  /** Per call (a call is `batch` images), warm-up excluded. */
  readonly latency?: LatencySummary;
  readonly imagesPerSecond?: number;
  readonly calls?: number;
  readonly wallMs?: number;
  /** Host peak RSS of the process running the cell, sampled every 100 ms from /proc (bytes). */
  readonly hostPeakRssBytes?: number;
  /** The core device's memory (preprocessing), sampled every 100 ms; the raw loop has none. */
  readonly deviceMemory?: {
    readonly sampledPeakBytes: number;
    readonly contextPeakBytes: number;
    readonly samples: number;
  };
  /** Host <-> device copies per image (uploads + downloads of the core device over the timed calls). */
  readonly copiesPerImage?: number;
  readonly uploadsPerImage?: number;
  readonly downloadsPerImage?: number;
  /** Against the raw onnxruntime-node loop at the same model and batch (concurrency 1). */
  readonly vsRaw?: { readonly p50Ratio: number; readonly throughputRatio: number };
  /** Physical floor: FLOPs per image / peak FLOP/s; percentOfPeak = floor / measured time per image. */
  readonly floor?: { readonly msPerImage: number; readonly percentOfPeak: number };
  /** OCR cells: the character error rate of what was read, over all images and per image. */
  readonly cer?: number;
  readonly cerByImage?: Readonly<Record<string, number>>;
}

export interface OpCell {
  readonly op: string;
  readonly library: string;
  readonly status: CellStatus;
  readonly reason?: string;
  readonly medianMs?: number;
  readonly p90Ms?: number;
  readonly minMs?: number;
  readonly iterations?: number;
  /** Ocellus median / this library's median (absent on Ocellus' own cells). */
  readonly ocellusRatio?: number;
}

export interface Environment {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly onnxruntime: string;
  readonly date: string;
  /** 1-minute load average at the end of the run. */
  readonly load: number;
  readonly backends: readonly {
    readonly backend: string;
    readonly available: boolean;
    readonly reason?: string;
    readonly devices: readonly {
      readonly name: string;
      readonly type: string;
      readonly driver?: string;
      readonly vendor?: string;
    }[];
  }[];
  readonly libraries: Readonly<Record<string, string>>;
}

export interface PeakFlops {
  readonly flopsPerSecond: number;
  /** How it was measured, in words. */
  readonly method: string;
  readonly matmulSize: number;
  readonly runs: number;
  readonly bestMs: number;
}

export interface ModelInfoEntry {
  readonly model: string;
  readonly status: CellStatus;
  readonly reason?: string;
  readonly parameters?: number;
  readonly weights?: string;
  readonly flopsPerImage?: number;
  readonly flopsReason?: string;
}

export interface BenchResults {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: string;
  readonly environment: Environment;
  readonly options: Readonly<Record<string, unknown>>;
  readonly peak?: PeakFlops;
  readonly peakReason?: string;
  readonly models: readonly ModelInfoEntry[];
  readonly cells: readonly ModelCell[];
  readonly ops: readonly OpCell[];
  /** Image-op chains per backend, same run (optional: absent in results written before they existed). */
  readonly chains?: readonly ChainCell[];
  /** Video streams through the scheduler vs a naive loop, same run (optional: absent with --no-streams). */
  readonly streams?: StreamsSection;
  readonly notes: readonly string[];
  readonly durationMs: number;
}

export function cellId(
  c: Pick<ModelCell, 'model' | 'engine' | 'backend' | 'precision' | 'batch' | 'concurrency'>,
): string {
  return `${c.model}/${c.engine}/${c.backend}/${c.precision}/b${c.batch}/c${c.concurrency}`;
}
