// The WebGPU backend's browser build (navigator.gpu, no Node imports). Kept in its own module so the
// page reaches it in one place; scripts/build.mjs bundles it.
export { backend as webgpuBackend } from '@ocellus/backend-webgpu/browser';
