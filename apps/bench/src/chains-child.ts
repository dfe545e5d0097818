import { openDevice, probeBackend, registerBackend } from '@ocellus/core';
import { CHAINS, type ChainTiming, timeChain } from './chains.js';
import type { ChainChildAnswer } from './chains-run.js';
import { loadBenchImage } from './image.js';

/** The backend packages the chains benchmark knows; the CPU reference is core's own. */
const PACKAGES: Record<string, string> = { vulkan: '@ocellus/backend-vulkan', webgpu: '@ocellus/backend-webgpu' };

/**
 * A chains child: registers one backend, opens its first device (explicitly: 'auto' would pass over
 * CPU-emulated devices, which are what this machine has), times every chain, prints one JSON line.
 */
export async function chainsChild(spec: { backend: string; iterations: number }): Promise<ChainChildAnswer> {
  const pkg = PACKAGES[spec.backend];
  if (pkg) {
    try {
      registerBackend(((await import(pkg)) as { backend: Parameters<typeof registerBackend>[0] }).backend);
    } catch (err) {
      return {
        unavailable: `${pkg} is not installed or failed to load: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    const probe = await probeBackend(spec.backend, { refresh: true });
    if (probe.devices.length === 0) return { unavailable: probe.reason ?? `${spec.backend}: no devices` };
  }
  const device = await openDevice(spec.backend, { discover: false });
  try {
    const img = await loadBenchImage();
    const chains: Record<string, ChainTiming | { error: string }> = {};
    for (const chain of CHAINS) {
      try {
        chains[chain.id] = await timeChain(device, chain, img.rgb, [img.height, img.width, 3], spec.iterations);
      } catch (err) {
        chains[chain.id] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    return { device: `${device.id} ${device.info.name}`, chains };
  } finally {
    await device.close();
  }
}
