import { ENTRY, PRELUDE, SRC_DST } from './common.js';

/** OpenCV RGB2Gray<uchar>: (R*9798 + G*19235 + B*3735 + 2^14) >> 15, bit-exact (integers only).
 * p: [0] pixels, [1] channels (3|4), [2] coefficient of channel 0, [3] coefficient of channel 2 */
export const GRAYSCALE = /* wgsl */ `${PRELUDE}${SRC_DST}
${ENTRY} {
  let w = gidOf(wg, nwg, lid);
  let n = p[0];
  let c = p[1];
  if (w * 4u >= n) { return; }
  var v = 0u;
  for (var j = 0u; j < 4u; j++) {
    let i = w * 4u + j;
    if (i >= n) { break; }
    let s = i * c;
    let g = (src8(s) * p[2] + src8(s + 1u) * 19235u + src8(s + 2u) * p[3] + 16384u) >> 15u;
    v |= g << (8u * j);
  }
  dst[w] = v;
}`;

/** RGB <-> BGR (and RGBA <-> BGRA): channels 0 and 2 exchange, the others are copied.
 * p: [0] bytes, [1] channels */
export const SWAP_RB = /* wgsl */ `${PRELUDE}${SRC_DST}
${ENTRY} {
  let w = gidOf(wg, nwg, lid);
  let n = p[0];
  let c = p[1];
  if (w * 4u >= n) { return; }
  var v = 0u;
  for (var j = 0u; j < 4u; j++) {
    let i = w * 4u + j;
    if (i >= n) { break; }
    let ch = i % c;
    var s = i;
    if (ch == 0u) { s = i + 2u; } else if (ch == 2u) { s = i - 2u; }
    v |= src8(s) << (8u * j);
  }
  dst[w] = v;
}`;
