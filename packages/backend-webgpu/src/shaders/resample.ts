import { PRELUDE, SRC_DST, packedU8Main } from './common.js';

/**
 * resize (nearest, bilinear), letterbox and centerCrop: every output byte is either padding or a sample
 * of the source, mapped through an inner rectangle of the output.
 * p: [0] output bytes, [1] output width, [2] channels, [3] src height, [4] src width,
 *    [5] inner top, [6] inner left, [7] inner height, [8] inner width, [9] pad value,
 *    [10] mode: 0 copy (source = inner position + offset), 1 nearest, 2 bilinear, 3 exact halving
 *    [11] offset y, [12] offset x (copy mode), [13] 2-channel halving rounds ties to even
 *    [16...] tables from the host (nearest: sx[W], sy[H]; bilinear: x0 x1 wx0 wx1 [W each], y0 y1 wy0 wy1 [H each])
 */
export const RESAMPLE = /* wgsl */ `${PRELUDE}${SRC_DST}
fn px(y: i32, x: i32, k: i32) -> i32 { return i32(src8(u32((y * I(4) + x) * I(2) + k))); }

fn sampleAt(e: u32) -> u32 {
  let cn = I(2);
  let outW = I(1);
  let srcH = I(3);
  let srcW = I(4);
  let k = i32(e) % cn;
  let pix = i32(e) / cn;
  let y = pix / outW - I(5);
  let x = pix % outW - I(6);
  let ih = I(7);
  let iw = I(8);
  if (y < 0 || x < 0 || y >= ih || x >= iw) { return p[9]; }
  let mode = I(10);
  if (mode == 0) {
    let sy = y + I(11);
    let sx = x + I(12);
    if (sy < 0 || sx < 0 || sy >= srcH || sx >= srcW) { return p[9]; }
    return u32(px(sy, sx, k));
  }
  if (mode == 1) {
    return u32(px(I(16u + u32(iw + y)), I(16u + u32(x)), k));
  }
  if (mode == 3) {
    // cv::resize's INTER_AREA shortcut for an exact halving: (sum + 2) >> 2; for 2 channels OpenCV's
    // saturate_cast of sum * 0.25f rounds halves to even.
    let sum = u32(px(2 * y, 2 * x, k) + px(2 * y, 2 * x + 1, k) +
                  px(2 * y + 1, 2 * x, k) + px(2 * y + 1, 2 * x + 1, k));
    var q = (sum + 2u) >> 2u;
    if (p[13] != 0u && (sum & 3u) == 2u && (q & 1u) == 1u) { q -= 1u; }
    return q;
  }
  // OpenCV INTER_LINEAR, uint8: horizontal Q11 pass into ints, then VResizeLinear's vertical pass,
  // which drops 4 bits of each row, keeps the high 16 bits of each Q11 product, adds, rounds off 2 bits.
  let W = u32(iw);
  let H = u32(ih);
  let ux = u32(x);
  let uy = u32(y);
  let x0 = I(16u + ux);
  let x1 = I(16u + W + ux);
  let wx0 = I(16u + 2u * W + ux);
  let wx1 = I(16u + 3u * W + ux);
  let Y = 16u + 4u * W;
  let y0 = I(Y + uy);
  let y1 = I(Y + H + uy);
  let wy0 = I(Y + 2u * H + uy);
  let wy1 = I(Y + 3u * H + uy);
  let r0 = px(y0, x0, k) * wx0 + px(y0, x1, k) * wx1;
  let r1 = px(y1, x0, k) * wx0 + px(y1, x1, k) * wx1;
  return u32(((((r0 >> 4u) * wy0) >> 16u) + (((r1 >> 4u) * wy1) >> 16u) + 2) >> 2u);
}

${packedU8Main('sampleAt')}`;

/**
 * PIL's antialiased BILINEAR (ImagingResampleHorizontal/Vertical_8bpc), one pass per dispatch:
 * acc = 2^21 + sum(sample * weight) with Q22 weights computed on the host in double exactly as Pillow,
 * then clip8 (arithmetic shift by 22, clamp to 0..255). Integer only: the CPU reference's bytes.
 * p: [0] output bytes, [1] output width (pixels), [2] channels, [3] direction (0 horizontal, 1 vertical),
 *    [4] source row length (elements), [5] first source row (horizontal) or row offset (vertical),
 *    [6] ksize, [7] output size along the axis, [8...] start[n], count[n], weights[n * ksize]
 */
export const RESIZE_AA = /* wgsl */ `${PRELUDE}${SRC_DST}
fn sampleAt(e: u32) -> u32 {
  let cn = I(2);
  let outW = I(1);
  let stride = I(4);
  let ks = I(6);
  let n = I(7);
  let ie = i32(e);
  let row = ie / (outW * cn);
  let inRow = ie % (outW * cn);
  var ss = 1 << 21u;
  if (I(3) == 0) {
    let xx = inRow / cn;
    let c = inRow % cn;
    let start = I(u32(8 + xx));
    let count = I(u32(8 + n + xx));
    let wAt = 8 + 2 * n + xx * ks;
    let base = (I(5) + row) * stride + start * cn + c;
    for (var t = 0; t < count; t++) { ss += i32(src8(u32(base + t * cn))) * I(u32(wAt + t)); }
  } else {
    let start = I(u32(8 + row));
    let count = I(u32(8 + n + row));
    let wAt = 8 + 2 * n + row * ks;
    let base = (start - I(5)) * stride + inRow;
    for (var t = 0; t < count; t++) { ss += i32(src8(u32(base + t * stride))) * I(u32(wAt + t)); }
  }
  return u32(clamp(ss >> 22u, 0, 255));
}

${packedU8Main('sampleAt')}`;
