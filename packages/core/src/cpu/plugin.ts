import { cpus, totalmem } from 'node:os';
import { type BackendPlugin, type DeviceInfo, PLUGIN_API_VERSION } from '../backend/plugin.js';
import { CpuContext } from './context.js';
import { CPU_KERNELS } from './kernels/index.js';

const kernels = new Map(CPU_KERNELS.map((k) => [k.op, k]));

function cpuDevice(): DeviceInfo {
  const info = cpus();
  return {
    backend: 'cpu',
    index: 0,
    name: info[0]?.model.trim() || 'CPU',
    type: 'cpu',
    memoryBytes: totalmem(),
    features: { threads: info.length, reference: true },
  };
}

/** The CPU reference backend: every op of the op set, plain TypeScript, the oracle for all other backends. */
export const cpuBackend: BackendPlugin = {
  name: 'cpu',
  apiVersion: PLUGIN_API_VERSION,
  description: 'CPU reference backend (built into @ocellus/core)',
  probe: async () => ({ devices: [cpuDevice()] }),
  open: async (device) => new CpuContext(device, kernels),
};
