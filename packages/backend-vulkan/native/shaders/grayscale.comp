#version 450
// OpenCV RGB2Gray<uchar>: (R*9798 + G*19235 + B*3735 + 2^14) >> 15, bit-exact (integers only).
// p: [0] pixels, [1] channels (3|4), [2] coefficient of channel 0, [3] coefficient of channel 2
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };
void main() {
  uint w = gid(), n = p[0], c = p[1];
  if (w * 4u >= n) return;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint i = w * 4u + j;
    if (i >= n) break;
    uint s = i * c;
    uint g = (U8(src, s) * p[2] + U8(src, s + 1u) * 19235u + U8(src, s + 2u) * p[3] + 16384u) >> 15;
    v |= g << (8u * j);
  }
  dst[w] = v;
}
