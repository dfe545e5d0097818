/** Live WebGPU objects this package created, process-wide, for leak tests (`objectCounts()`). */
const live = { devices: 0, buffers: 0 };

export const countObject = (kind: keyof typeof live, delta: 1 | -1): void => {
  live[kind] += delta;
};

export const liveObjects = (): { devices: number; buffers: number } => ({ ...live });
