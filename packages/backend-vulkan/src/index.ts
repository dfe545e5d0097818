/**
 * @ocellus/backend-vulkan: core's image op set as SPIR-V compute shaders on any Vulkan 1.1 device (GPUs,
 * and Mesa's lavapipe on the CPU). The native addon loads libvulkan.so.1 at run time, so this package
 * loads everywhere; probe() lists no devices and says what to install where Vulkan is missing.
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
import { type NativeDevice, type ValidationReport, addonPath, loadAddon } from './binding.js';
import { VulkanContext } from './context.js';

export { VulkanBuffer, VulkanContext } from './context.js';
export { type KernelSpec, compileGlsl, registerKernel, unregisterKernel } from './custom.js';
export type { NativeMemory, ValidationReport } from './binding.js';
export { addonPath };

const NAME = 'vulkan';

function toInfo(d: NativeDevice): DeviceInfo {
  const features: Record<string, string | number | boolean> = {
    apiVersion: d.apiVersion,
    vendorId: d.vendorId,
    deviceId: d.deviceId,
    subgroupSize: d.subgroupSize,
    float16: d.float16,
    int8: d.int8,
    storage8: d.storage8,
    storage16: d.storage16,
    maxWorkgroupSizeX: d.maxWorkgroupSize[0],
    maxWorkgroupSizeY: d.maxWorkgroupSize[1],
    maxWorkgroupSizeZ: d.maxWorkgroupSize[2],
    maxWorkgroupInvocations: d.maxWorkgroupInvocations,
    maxStorageBufferRange: d.maxStorageBufferRange,
    maxAllocation: d.maxAllocation,
    heaps: d.heaps.map((h) => `${h.bytes}${h.deviceLocal ? ' device-local' : ''}`).join(', '),
  };
  return {
    backend: NAME,
    index: d.index,
    name: d.name,
    type: d.type,
    memoryBytes: d.deviceLocalBytes,
    vendor: d.vendor,
    driver: d.driver,
    features,
  };
}

/** Lists Vulkan devices, or none and why (no loader, no driver, addon not built). Never throws. */
export function probeVulkan(): ProbeResult {
  const { addon, error } = loadAddon();
  if (!addon) return { devices: [], reason: error };
  try {
    const r = addon.probe();
    return r.reason ? { devices: r.devices.map(toInfo), reason: r.reason } : { devices: r.devices.map(toInfo) };
  } catch (err) {
    return { devices: [], reason: `Vulkan probe failed: ${(err as Error).message}` };
  }
}

export const backend: BackendPlugin = {
  name: NAME,
  apiVersion: PLUGIN_API_VERSION,
  description: 'Vulkan compute: SPIR-V kernels for the image op set (GPUs, and lavapipe on the CPU)',
  probe: async () => probeVulkan(),
  open: async (device: DeviceInfo): Promise<DeviceContext> => {
    const probe = probeVulkan();
    const found = probe.devices.find((d) => d.index === device.index);
    if (!found) {
      const reason = probe.reason ?? `there is no Vulkan device ${device.index} (found ${probe.devices.length})`;
      throw new BackendUnavailableError(reason, [{ backend: NAME, reason }]);
    }
    const { addon } = loadAddon();
    return new VulkanContext(new addon!.Context(found.index), found);
  },
};

export default backend;

/** Live Vulkan objects of the process by kind (instances, devices, buffers, memories, pipelines...). */
export function objectCounts(): Record<string, number> {
  return loadAddon().addon?.objectCounts() ?? {};
}

/**
 * Validation-layer report: set OCELLUS_VULKAN_VALIDATION=1 before the first probe/open to enable
 * VK_LAYER_KHRONOS_validation; a debug-utils messenger counts its errors and warnings.
 */
export function validation(): ValidationReport {
  return (
    loadAddon().addon?.validation() ?? {
      requested: false,
      enabled: false,
      messenger: false,
      errors: 0,
      warnings: 0,
      otherErrors: 0,
      messages: [],
    }
  );
}

/** The VulkanContext of a device opened on this backend (for runCustom and the native statistics). */
export function vulkanContext(device: Device): VulkanContext {
  if (!(device.context instanceof VulkanContext)) {
    throw new OcellusError('ERR_OCELLUS_NOT_VULKAN', `device ${device.id} is not a Vulkan device of this package`);
  }
  return device.context;
}
