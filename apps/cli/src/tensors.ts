import type { Tensor } from '@ocellus/core';

export type Keep = <T extends Tensor>(tensor: T) => T;

/**
 * Runs `fn`, disposing every tensor it passed to `keep` when it returns or throws, so a command frees
 * its intermediates as soon as it is done with them instead of relying on device.close().
 */
export async function withTensors<T>(fn: (keep: Keep) => Promise<T>): Promise<T> {
  const kept: Tensor[] = [];
  const keep: Keep = (tensor) => {
    kept.push(tensor);
    return tensor;
  };
  try {
    return await fn(keep);
  } finally {
    for (const t of kept.reverse()) t.dispose();
  }
}
