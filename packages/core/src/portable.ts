/**
 * Everything of @ocellus/core that runs anywhere (Node and browsers): the entries re-export it, Node's
 * adding package discovery and file image I/O. Importing it registers the CPU reference backend.
 */
import { hasBackend, registerBackend } from './backend/registry.js';
import { cpuBackend } from './cpu/plugin.js';

export * from './errors.js';
export * from './tensor/dtype.js';
export * from './tensor/float16.js';
export { type Shape, formatShape, sizeOf, stridesOf } from './tensor/shape.js';
export { Tensor } from './tensor/tensor.js';
export * from './backend/plugin.js';
export { Device, liveTensorCounts, type SkippedBackend } from './backend/device.js';
export {
  listBackends,
  openDevice,
  probeBackend,
  registerBackend,
  hasBackend,
  selectBackend,
  unregisterBackend,
  type RegisterOptions,
  type SelectOptions,
  type Selection,
} from './backend/registry.js';
export * from './ops/index.js';
export { cpuBackend } from './cpu/plugin.js';
export { CpuBuffer, hostData } from './cpu/buffer.js';
export { defineCpuKernel, type CpuKernel } from './cpu/kernel.js';
// The fixed-point tables behind the CPU reference kernels (resize weights, Gaussian taps, Canny
// thresholds), exported so every backend computes them the same way and matches the reference exactly.
export { linearAxis as linearResizeAxis, resizeLinearU8, type LinearAxis } from './cpu/kernels/resize-linear.js';
export {
  antialiasAxis,
  resizeAntialiasRegionU8,
  type AntialiasAxis,
  type ResizeRegion,
} from './cpu/kernels/resize-antialias.js';
export { gaussianKernelQ8 } from './cpu/kernels/gaussian-blur.js';
export { thresholds as cannyThresholds } from './cpu/kernels/canny.js';
export * from './conformance/index.js';
// The multi-device scheduler: lanes, priority classes, queue policies, health checks (no node: imports).
export * from './scheduler/index.js';
// The image ops as GPU work (kernel, parameter block, invocations), shared by every GPU backend.
export {
  type GpuKernelName,
  type GpuPlan,
  type GpuPlanOptions,
  type GpuRecorder,
  gpuGrid,
  gpuPlans,
  recordGpuOp,
} from './gpu/plans.js';

// A second copy of core in the process (its ESM and CJS builds side by side) shares the registry and
// finds the reference registered by the first.
if (!hasBackend('cpu')) registerBackend(cpuBackend, { priority: -100 });
