/** Border modes of the filtering kernels, named as the ops name them. */
export type BorderMode = 'reflect101' | 'replicate';

/**
 * OpenCV's borderInterpolate: the in-image index that position `p` (possibly outside [0, len)) reads.
 * reflect101 mirrors without repeating the edge (gfedcb|abcdefgh|gfedcba) and keeps reflecting for
 * kernels wider than the image; replicate clamps (aaaaaa|abcdefgh|hhhhhhh).
 */
export function borderIndex(p: number, len: number, mode: BorderMode): number {
  if (p >= 0 && p < len) return p;
  if (mode === 'replicate') return p < 0 ? 0 : len - 1;
  if (len === 1) return 0;
  do {
    p = p < 0 ? -p : 2 * (len - 1) - p;
  } while (p < 0 || p >= len);
  return p;
}

/**
 * The index map of a line of `len` samples padded by `pad` on each side: entry i is the in-image index
 * read by position i - pad. Built once per call so the inner loops never branch on the border.
 */
export function borderMap(len: number, pad: number, mode: BorderMode): Int32Array {
  const map = new Int32Array(len + 2 * pad);
  for (let i = 0; i < map.length; i++) map[i] = borderIndex(i - pad, len, mode);
  return map;
}
