/**
 * @ocellus/core for browsers: everything of the main entry except package discovery (a page registers
 * its backends itself) and file image I/O (decode in the page, e.g. with createImageBitmap, and pass
 * pixels to device.tensor). No node: imports. Importing it registers the CPU reference backend.
 */
import { registerBackend } from './backend/registry.js';
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
// Pixel types only: decoding and encoding files needs sharp, which is Node-only.
export type { DecodedImage } from './image/decode.js';
// The fixed-point tables behind the CPU reference kernels, as in the main entry (see there).
export { linearAxis as linearResizeAxis, resizeLinearU8, type LinearAxis } from './cpu/kernels/resize-linear.js';
export { antialiasAxis, type AntialiasAxis } from './cpu/kernels/resize-antialias.js';
export { gaussianKernelQ8 } from './cpu/kernels/gaussian-blur.js';
export { thresholds as cannyThresholds } from './cpu/kernels/canny.js';
export * from './conformance/index.js';

registerBackend(cpuBackend, { priority: -100 });
