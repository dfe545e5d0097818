/** The named errors of this backend (all OcellusErrors, so `instanceof` and `code` work across copies of core). */
import { OcellusError } from '@ocellus/core';

/** The GPUDevice under a context was lost (driver reset, device.destroy(), GPU removed). */
export class DeviceLostError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_WEBGPU_DEVICE_LOST';
  constructor(message: string) {
    super(DeviceLostError.CODE, message);
  }
}

/** A WGSL kernel did not compile or validate; the message carries the compiler's messages. */
export class WgslCompileError extends OcellusError {
  static override readonly CODE = 'ERR_OCELLUS_WEBGPU_WGSL';
  constructor(message: string) {
    super(WgslCompileError.CODE, message);
  }
}

/** A custom kernel was misdeclared or run with the wrong tensors or parameters. */
export const KERNEL_ERROR = 'ERR_OCELLUS_WEBGPU_KERNEL';
/** A buffer larger than the device allows (maxBufferSize / maxStorageBufferBindingSize). */
export const BUFFER_TOO_LARGE = 'ERR_OCELLUS_WEBGPU_BUFFER_TOO_LARGE';
/** A copy WebGPU cannot do: it moves whole 4-byte words. */
export const ALIGNMENT = 'ERR_OCELLUS_WEBGPU_ALIGNMENT';
