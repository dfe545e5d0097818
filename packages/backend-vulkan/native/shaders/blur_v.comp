#version 450
// Gaussian blur, column pass: the Q8 rows times the Q8 kernel in Q16, rounded once: (sum + 2^15) >> 16.
// p: [0] elements, [1] width, [2] channels, [3] ksize, [4] height, [8...] Q8 kernel taps
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Tmp { uint tmp[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };
void main() {
  uint w = gid(), n = p[0];
  if (w * 4u >= n) return;
  int width = I(1), c = I(2), ks = I(3), h = I(4), r = ks >> 1, rowLen = width * c;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint e = w * 4u + j;
    if (e >= n) break;
    int ie = int(e), y = ie / rowLen, inRow = ie % rowLen;
    uint acc = 32768u;
    for (int i = 0; i < ks; i++) acc += p[8 + i] * tmp[reflect101(y + i - r, h) * rowLen + inRow];
    v |= (acc >> 16) << (8u * j);
  }
  dst[w] = v;
}
