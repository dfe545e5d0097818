import { PRELUDE, SRC_DST, packedU8Main } from './common.js';

/** OpenCV RGB2Gray<uchar>: (R*9798 + G*19235 + B*3735 + 2^14) >> 15, bit-exact (integers only).
 * p: [0] pixels, [1] channels (3|4), [2] coefficient of channel 0, [3] coefficient of channel 2 */
export const GRAYSCALE = /* wgsl */ `${PRELUDE}${SRC_DST}
fn grayAt(i: u32) -> u32 {
  let s = i * p[1];
  return (src8(s) * p[2] + src8(s + 1u) * 19235u + src8(s + 2u) * p[3] + 16384u) >> 15u;
}
${packedU8Main('grayAt')}`;

/** RGB <-> BGR (and RGBA <-> BGRA): channels 0 and 2 exchange, the others are copied.
 * p: [0] bytes, [1] channels */
export const SWAP_RB = /* wgsl */ `${PRELUDE}${SRC_DST}
fn swappedAt(i: u32) -> u32 {
  let ch = i % p[1];
  var s = i;
  if (ch == 0u) { s = i + 2u; } else if (ch == 2u) { s = i - 2u; }
  return src8(s);
}
${packedU8Main('swappedAt')}`;
