/**
 * The BackendPlugin, built on a GpuSource: Node's (Dawn) in index.ts, the browser's (navigator.gpu) in
 * browser.ts. Probing lists the adapters; opening finds the same adapter again (an adapter gives one
 * device only, so the one seen by probe() cannot be reused) and asks it for a device with its best limits.
 */
import {
  type BackendPlugin,
  BackendUnavailableError,
  type Device,
  type DeviceContext,
  type DeviceInfo,
  OcellusError,
  PLUGIN_API_VERSION,
  type ProbeResult,
} from '@ocellus/core';
import { LIMITS, NAME, findAdapters, keyOfInfo, toInfo } from './adapters.js';
import { WebGpuContext } from './context.js';
import type { GpuSource } from './gpu-source.js';

/** Lists the adapters of a GPU source, or none and why. Never throws. */
export async function probeWith(source: GpuSource): Promise<ProbeResult> {
  const got = await source.acquire();
  if (!('gpu' in got)) return { devices: [], reason: got.reason };
  try {
    const found = await findAdapters(got.gpu);
    if (!found.length) return { devices: [], reason: source.noAdapterReason };
    return { devices: found.map((f, i) => toInfo(f, i, found)) };
  } catch (err) {
    return { devices: [], reason: `WebGPU: adapter discovery failed: ${(err as Error).message}` };
  } finally {
    got.release();
  }
}

/** Opens a context on the adapter a DeviceInfo of probeWith() describes. */
export async function openWith(source: GpuSource, device: DeviceInfo): Promise<WebGpuContext> {
  const unavailable = (reason: string) => new BackendUnavailableError(reason, [{ backend: NAME, reason }]);
  const got = await source.acquire();
  if (!('gpu' in got)) throw unavailable(got.reason);
  try {
    const found = await findAdapters(got.gpu);
    const key = keyOfInfo(device);
    const index = found.findIndex((f) => f.key === key);
    if (index < 0) {
      throw unavailable(
        found.length
          ? `no WebGPU adapter matches ${device.name} (found ${found.length}): probe again`
          : source.noAdapterReason,
      );
    }
    const { adapter } = found[index]!;
    const requiredLimits: Record<string, number> = {};
    for (const k of LIMITS) requiredLimits[k] = adapter.limits[k];
    const requiredFeatures: GPUFeatureName[] = adapter.features.has('shader-f16') ? ['shader-f16'] : [];
    const gpuDevice = await adapter.requestDevice({
      label: `ocellus ${NAME}:${device.index}`,
      requiredLimits,
      requiredFeatures,
    });
    return new WebGpuContext(gpuDevice, toInfo(found[index]!, device.index, found), got);
  } catch (err) {
    got.release();
    throw err;
  }
}

/** The plugin; `probe` defaults to discovery on the source in this process (Node probes in a child instead). */
export function createBackend(
  source: GpuSource,
  description: string,
  probe: () => Promise<ProbeResult> = () => probeWith(source),
): BackendPlugin {
  return {
    name: NAME,
    apiVersion: PLUGIN_API_VERSION,
    description,
    probe,
    open: (device: DeviceInfo): Promise<DeviceContext> => openWith(source, device),
  };
}

/** The WebGpuContext of a device opened on this backend (for compileKernel/runCustom, lost, errors). */
export function webgpuContext(device: Device): WebGpuContext {
  if (!(device.context instanceof WebGpuContext)) {
    throw new OcellusError('ERR_OCELLUS_NOT_WEBGPU', `device ${device.id} is not a WebGPU device of this package`);
  }
  return device.context;
}
