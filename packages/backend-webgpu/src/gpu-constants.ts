/**
 * WebGPU's flag values (from the spec). Node's `webgpu` package does not install the GPUBufferUsage /
 * GPUMapMode globals unless asked, and this package installs nothing global, so they are spelled here.
 */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MAP_READ = 0x1;

/** Bytes rounded up to whole 4-byte words: WebGPU copies and writes only whole words. */
export const words4 = (bytes: number): number => Math.ceil(bytes / 4) * 4;
