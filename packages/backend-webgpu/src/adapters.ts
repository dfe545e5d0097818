/**
 * Adapter discovery: every adapter the GPU entry point gives for the three kinds of request (high
 * performance, low power, the fallback adapter), deduplicated, as core's DeviceInfo. WebGPU does not say
 * whether a GPU is discrete or integrated, nor how much memory it has: the kind is inferred only when two
 * hardware adapters answer the two power preferences, and software adapters (SwiftShader, WARP, llvmpipe)
 * are type 'cpu' so core's 'auto' passes over them while selecting 'webgpu' by name still takes them.
 */
import type { DeviceInfo, DeviceType } from '@ocellus/core';

export const NAME = 'webgpu';

export const REQUESTS: readonly GPURequestAdapterOptions[] = [
  { powerPreference: 'high-performance' },
  { powerPreference: 'low-power' },
  { forceFallbackAdapter: true },
];

/** What discovery reads of an adapter: a live GPUAdapter, or the same facts sent from a probe child. */
export type AdapterFacts = Pick<GPUAdapter, 'info' | 'limits'> & { readonly features: { has(name: string): boolean } };

export interface FoundAdapter<A extends AdapterFacts = GPUAdapter> {
  readonly adapter: A;
  readonly key: string;
  readonly options: GPURequestAdapterOptions;
  readonly fallback: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render|software/i;

const fallbackOf = (a: AdapterFacts): boolean =>
  Boolean(
    (a.info as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (a as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );

const keyOf = (i: { vendor: string; architecture: string; device: string; description: string }, fallback: boolean) =>
  [i.vendor, i.architecture, i.device, i.description, fallback ? 'fallback' : 'hardware'].join('|');

/** Distinct adapters in request order (the first request that found one is remembered for open()). */
export async function findAdapters(gpu: GPU): Promise<FoundAdapter[]> {
  const answers: (GPUAdapter | null)[] = [];
  for (const options of REQUESTS) {
    // some browsers reject an option they do not know: the other requests still count
    answers.push(await gpu.requestAdapter(options).catch(() => null));
  }
  return distinctAdapters(answers);
}

/** The answers to REQUESTS (null where none), deduplicated: what findAdapters and the Node probe child share. */
export function distinctAdapters<A extends AdapterFacts>(answers: readonly (A | null)[]): FoundAdapter<A>[] {
  const found: FoundAdapter<A>[] = [];
  for (const [i, adapter] of answers.entries()) {
    if (!adapter) continue;
    const fallback = fallbackOf(adapter);
    const key = keyOf(adapter.info, fallback);
    if (!found.some((f) => f.key === key)) found.push({ adapter, key, options: REQUESTS[i]!, fallback });
  }
  return found;
}

/** The adapter key a DeviceInfo of this backend was made from (open() finds the same adapter again). */
export function keyOfInfo(d: DeviceInfo): string {
  const f = d.features ?? {};
  return keyOf(
    {
      vendor: String(f.vendor ?? ''),
      architecture: String(f.architecture ?? ''),
      device: String(f.device ?? ''),
      description: String(f.description ?? ''),
    },
    f.fallback === true,
  );
}

function typeOf(f: FoundAdapter<AdapterFacts>, all: readonly FoundAdapter<AdapterFacts>[]): DeviceType {
  const i = f.adapter.info;
  if (f.fallback || SOFTWARE.test(`${i.vendor} ${i.architecture} ${i.device} ${i.description}`)) return 'cpu';
  const hardware = all.filter((a) => !a.fallback);
  if (hardware.length < 2) return 'other';
  return f.options.powerPreference === 'low-power' ? 'integrated' : 'discrete';
}

/** The limits a context asks its device for (the adapter's best), and facts users may want to see. */
export const LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
  'maxUniformBufferBindingSize',
] as const;

export function toInfo(
  f: FoundAdapter<AdapterFacts>,
  index: number,
  all: readonly FoundAdapter<AdapterFacts>[],
): DeviceInfo {
  const i = f.adapter.info;
  const features: Record<string, string | number | boolean> = {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    fallback: f.fallback,
    shaderF16: f.adapter.features.has('shader-f16'),
    subgroups: f.adapter.features.has('subgroups'),
    foundWith: f.options.forceFallbackAdapter ? 'forceFallbackAdapter' : String(f.options.powerPreference),
  };
  for (const k of LIMITS) features[k] = f.adapter.limits[k];
  const label = [i.vendor, i.architecture, i.device].filter(Boolean).join(' ') || 'WebGPU adapter';
  return {
    backend: NAME,
    index,
    name: i.description ? `${label} (${i.description})` : label,
    type: typeOf(f, all),
    ...(i.vendor ? { vendor: i.vendor } : {}),
    ...(i.description ? { driver: i.description } : {}),
    features,
  };
}
