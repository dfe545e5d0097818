/** What both entries (Node and browser) export besides their `backend`. */
export { WebGpuBuffer, WebGpuContext, type LostInfo, type WebGpuMemory } from './context.js';
export { type KernelSpec, registerKernel, unregisterKernel } from './custom.js';
export { DeviceLostError, WgslCompileError } from './errors.js';
export { webgpuContext } from './plugin.js';
export { SHADERS, type ShaderName } from './shaders/index.js';
