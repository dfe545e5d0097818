/**
 * @ocellus/backend-rocm: a placeholder. This version ships no kernels, so it registers as a backend
 * that is honestly unavailable: probe() lists no devices and says why, open() refuses. That keeps
 * `ocellus devices` and 'auto' selection truthful until the ROCm backend lands here.
 */
import {
  type BackendPlugin,
  BackendUnavailableError,
  type DeviceContext,
  PLUGIN_API_VERSION,
  type ProbeResult,
} from '@ocellus/core';
// Read from package.json (bundled by tsup) so the reason names the version actually installed.
import { version } from '../package.json';

const NAME = 'rocm';

/** Always false in this version: there are no ROCm kernels yet. */
export const available: boolean = false;

/** Why this backend has no devices, in words a user can act on. */
export const reason: string =
  `@ocellus/backend-rocm ${version} has no kernels yet: the ROCm backend ` +
  '(a cmake-js native addon with HIP kernels, the same sources as the CUDA backend, for AMD GPUs) is ' +
  'planned; use the cpu backend meanwhile';

export const backend: BackendPlugin = {
  name: NAME,
  apiVersion: PLUGIN_API_VERSION,
  description: 'HIP kernels for AMD GPUs (placeholder: no kernels yet)',
  // The contract: a missing backend is not an error for probe(), it is no devices plus a reason.
  probe: async (): Promise<ProbeResult> => ({ devices: [], reason }),
  // Nothing can be opened; reject with the same reason so a caller that skipped probe() learns why.
  open: async (): Promise<DeviceContext> => {
    throw new BackendUnavailableError(reason, [{ backend: NAME, reason }]);
  },
};
