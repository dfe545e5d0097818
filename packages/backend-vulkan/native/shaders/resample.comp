#version 450
// resize (nearest, bilinear), letterbox and centerCrop: every output byte is either padding or a sample
// of the source, mapped through an inner rectangle of the output.
// p: [0] output bytes, [1] output width, [2] channels, [3] src height, [4] src width,
//    [5] inner top, [6] inner left, [7] inner height, [8] inner width, [9] pad value,
//    [10] mode: 0 copy (source = inner position + offset), 1 nearest, 2 bilinear, 3 exact halving
//    [11] offset y, [12] offset x (copy mode), [13] 2-channel halving rounds ties to even
//    [16...] tables from the host (nearest: sx[W], sy[H];
//            bilinear: x0[W] x1[W] wx0[W] wx1[W] y0[H] y1[H] wy0[H] wy1[H])
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };

uint sampleAt(uint e) {
  int cn = I(2), outW = I(1), srcH = I(3), srcW = I(4);
  int k = int(e) % cn, px = int(e) / cn;
  int y = px / outW - I(5), x = px % outW - I(6);
  int ih = I(7), iw = I(8);
  if (y < 0 || x < 0 || y >= ih || x >= iw) return p[9];
  int mode = I(10);
  if (mode == 0) {
    int sy = y + I(11), sx = x + I(12);
    if (sy < 0 || sx < 0 || sy >= srcH || sx >= srcW) return p[9];
    return U8(src, uint((sy * srcW + sx) * cn + k));
  }
  if (mode == 1) {
    int sx = I(16 + x), sy = I(16 + iw + y);
    return U8(src, uint((sy * srcW + sx) * cn + k));
  }
  if (mode == 3) {
    // cv::resize's INTER_AREA shortcut for an exact halving: (sum + 2) >> 2; for 2 channels OpenCV's
    // saturate_cast of sum * 0.25f rounds halves to even.
    uint s = uint(((2 * y) * srcW + 2 * x) * cn + k), stride = uint(srcW * cn), ucn = uint(cn);
    uint sum = U8(src, s) + U8(src, s + ucn) + U8(src, s + stride) + U8(src, s + stride + ucn);
    uint q = (sum + 2u) >> 2;
    if (p[13] != 0u && (sum & 3u) == 2u && (q & 1u) == 1u) q -= 1u;
    return q;
  }
  // OpenCV INTER_LINEAR, uint8: horizontal Q11 pass into ints, then VResizeLinear's vertical pass,
  // which drops 4 bits of each row, keeps the high 16 bits of each Q11 product, adds, rounds off 2 bits.
  int W = iw, H = ih, T = 16;
  int x0 = I(T + x), x1 = I(T + W + x), wx0 = I(T + 2 * W + x), wx1 = I(T + 3 * W + x);
  int Y = T + 4 * W;
  int y0 = I(Y + y), y1 = I(Y + H + y), wy0 = I(Y + 2 * H + y), wy1 = I(Y + 3 * H + y);
  int r0 = int(U8(src, uint((y0 * srcW + x0) * cn + k))) * wx0 + int(U8(src, uint((y0 * srcW + x1) * cn + k))) * wx1;
  int r1 = int(U8(src, uint((y1 * srcW + x0) * cn + k))) * wx0 + int(U8(src, uint((y1 * srcW + x1) * cn + k))) * wx1;
  return uint(((((r0 >> 4) * wy0) >> 16) + (((r1 >> 4) * wy1) >> 16) + 2) >> 2);
}

void main() {
  uint w = gid(), n = p[0];
  if (w * 4u >= n) return;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint e = w * 4u + j;
    if (e >= n) break;
    v |= (sampleAt(e) & 255u) << (8u * j);
  }
  dst[w] = v;
}
