import { ENTRY, PRELUDE, SRC_DST, packedU8Main, u8Reader } from './common.js';

/** Gaussian blur, row pass: OpenCV's fixed point (Q8 kernel, exact integer sums), reflect-101. One u32
 * per element (at most 255 * 256), read by BLUR_V.
 * p: [0] elements, [1] width, [2] channels, [3] ksize, [4] height, [8...] Q8 taps (shared with BLUR_V) */
export const BLUR_H = /* wgsl */ `${PRELUDE}${SRC_DST}
${ENTRY} {
  let e = gidOf(wg, nwg, lid);
  if (e >= p[0]) { return; }
  let w = I(1);
  let c = I(2);
  let ks = I(3);
  let r = ks >> 1u;
  let ie = i32(e);
  let ch = ie % c;
  let pix = ie / c;
  let x = pix % w;
  let rowStart = (pix - x) * c;
  var acc = 0u;
  for (var i = 0; i < ks; i++) { acc += p[u32(8 + i)] * src8(u32(rowStart + reflect101(x + i - r, w) * c + ch)); }
  dst[e] = acc;
}`;

/** Gaussian blur, column pass: the Q8 rows times the Q8 kernel in Q16, rounded once: (sum + 2^15) >> 16.
 * p: as BLUR_H */
export const BLUR_V = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> tmp: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
fn blurredAt(e: u32) -> u32 {
  let ks = I(3);
  let r = ks >> 1u;
  let rowLen = I(1) * I(2);
  let y = i32(e) / rowLen;
  let inRow = i32(e) % rowLen;
  var acc = 32768u;
  for (var i = 0; i < ks; i++) { acc += p[u32(8 + i)] * tmp[reflect101(y + i - r, I(4)) * rowLen + inRow]; }
  return acc >> 16u;
}
${packedU8Main('blurredAt')}`;

/** Sobel 3x3 (OpenCV's separable taps), float32 output. Every intermediate is a small integer, so the
 * float result is exact whatever the order of the sums.
 * p: [0] elements, [1] height, [2] width, [3] channels, [4..6] column taps (order dy),
 *    [7..9] row taps (order dx), [10] border (0 reflect-101, 1 replicate) */
export const SOBEL = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
${u8Reader('src')}
fn border(q: i32, len: i32) -> i32 { if (p[10] == 0u) { return reflect101(q, len); } return replicate(q, len); }
${ENTRY} {
  let e = gidOf(wg, nwg, lid);
  if (e >= p[0]) { return; }
  let h = I(1);
  let w = I(2);
  let c = I(3);
  let ie = i32(e);
  let ch = ie % c;
  let pix = ie / c;
  let x = pix % w;
  let y = pix / w;
  var acc = 0;
  for (var j = 0; j < 3; j++) {
    let col = border(x + j - 1, w);
    var t = 0;
    for (var i = 0; i < 3; i++) { t += I(u32(4 + i)) * i32(src8(u32((border(y + i - 1, h) * w + col) * c + ch))); }
    acc += I(u32(7 + j)) * t;
  }
  dst[e] = f32(acc);
}`;

/**
 * uint8 HWC -> float NCHW: out = (pixel * scale - mean[c]) / std[c]. A channel has only 256 values, so the
 * host computes each channel's 256 finished values in double exactly as the CPU reference (float32 bits,
 * or float16 bits via core's float32ToFloat16Bits) and the shader gathers: bit-exact, and float16 output
 * needs no shader-f16 (halves are written as bits, two per word).
 * p: [0] pixels per plane, [1] channels, [2] float16, [4..7] source channel of output channel c,
 *    [8 + c*256 + v] the value bits
 */
export const NORMALIZE = /* wgsl */ `${PRELUDE}${SRC_DST}
fn valueAt(e: u32) -> u32 {
  let plane = p[0];
  let cn = p[1];
  let c = e / plane;
  let i = e % plane;
  return p[8u + c * 256u + src8(i * cn + p[4u + c])];
}
${ENTRY} {
  let w = gidOf(wg, nwg, lid);
  let total = p[0] * p[1];
  if (p[2] == 0u) {
    if (w < total) { dst[w] = valueAt(w); }
    return;
  }
  if (w * 2u >= total) { return; }
  var v = valueAt(w * 2u) & 0xffffu;
  if (w * 2u + 1u < total) { v |= (valueAt(w * 2u + 1u) & 0xffffu) << 16u; }
  dst[w] = v;
}`;
