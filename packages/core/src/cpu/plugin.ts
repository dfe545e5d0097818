import { type BackendPlugin, type DeviceInfo, PLUGIN_API_VERSION } from '../backend/plugin.js';
import { CpuContext } from './context.js';
import { hostCpu } from './host-cpu.js';
import { CPU_KERNELS } from './kernels/index.js';

const kernels = new Map(CPU_KERNELS.map((k) => [k.op, k]));

function cpuDevice(): DeviceInfo {
  const host = hostCpu();
  return {
    backend: 'cpu',
    index: 0,
    name: host.model || 'CPU',
    type: 'cpu',
    ...(host.memoryBytes === undefined ? {} : { memoryBytes: host.memoryBytes }),
    features: { threads: host.threads ?? 1, reference: true },
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
