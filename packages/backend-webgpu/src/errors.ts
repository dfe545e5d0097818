/** The named errors of this backend (all OcellusErrors, so `instanceof` and `code` work across copies of core). */
import { errorClass } from '@ocellus/core';

/** The GPUDevice under a context was lost (driver reset, device.destroy(), GPU removed). */
export const DeviceLostError = errorClass('DeviceLostError', 'ERR_OCELLUS_WEBGPU_DEVICE_LOST');
export type DeviceLostError = InstanceType<typeof DeviceLostError>;

/** A WGSL kernel did not compile or validate; the message carries the compiler's messages. */
export const WgslCompileError = errorClass('WgslCompileError', 'ERR_OCELLUS_WEBGPU_WGSL');
export type WgslCompileError = InstanceType<typeof WgslCompileError>;

/** A custom kernel was misdeclared or run with the wrong tensors or parameters. */
export const KERNEL_ERROR = 'ERR_OCELLUS_WEBGPU_KERNEL';
/** A buffer larger than the device allows (maxBufferSize / maxStorageBufferBindingSize). */
export const BUFFER_TOO_LARGE = 'ERR_OCELLUS_WEBGPU_BUFFER_TOO_LARGE';
/** A copy WebGPU cannot do: it moves whole 4-byte words. */
export const ALIGNMENT = 'ERR_OCELLUS_WEBGPU_ALIGNMENT';
