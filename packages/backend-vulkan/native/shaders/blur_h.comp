#version 450
// Gaussian blur, row pass: OpenCV's fixed point (the kernel in Q8, exact integer sums), reflect-101.
// One uint per element (at most 255 * 256), read by blur_v.
// p: [0] elements, [1] width, [2] channels, [3] ksize, [4] height, [8...] Q8 kernel taps (shared with blur_v)
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Tmp { uint tmp[]; };
void main() {
  uint e = gid();
  if (e >= p[0]) return;
  int w = I(1), c = I(2), ks = I(3), r = ks >> 1;
  int ie = int(e), ch = ie % c, px = ie / c, x = px % w, rowStart = (px - x) * c;
  uint acc = 0u;
  for (int i = 0; i < ks; i++) acc += p[8 + i] * U8(src, uint(rowStart + reflect101(x + i - r, w) * c + ch));
  tmp[e] = acc;
}
