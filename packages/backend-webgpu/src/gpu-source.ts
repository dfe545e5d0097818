/**
 * Where the GPU entry point comes from: the one thing that differs between Node (Dawn from npm `webgpu`,
 * node-gpu.ts) and browsers (`navigator.gpu`, browser-gpu.ts). Everything else is shared.
 */
export interface GpuHandle {
  readonly gpu: GPU;
  /** Drops this holder's reference; the source lets the GPU go once no holder is left. Idempotent. */
  release(): void;
}

export interface GpuSource {
  /** The GPU entry point, held until release(), or why there is none (in words a user can act on). */
  acquire(): Promise<GpuHandle | { readonly reason: string }>;
  /** What to tell a user when the entry point exists but yields no adapter. */
  readonly noAdapterReason: string;
  /** Holders right now (1 per open context, plus a probe in progress). */
  readonly holders: number;
  /** GPU entry points this source keeps referenced (Node: the Dawn instance, 0 or 1; browsers: 0). */
  readonly instances: number;
}
